// The U-Net family's folder: its graph builder and its family entry.
export { buildUnet, type UnetModel, type UnetOptions } from './graph';
export { unetFamily } from './family';
