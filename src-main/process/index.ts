// Public entry of the child-process layer: spawning, the parent link, exit descriptions and the restart policy.
export { spawnChild, type ChildHandle } from './child-process';
export { describeExit, lastErrorLine } from './exit-description';
export { RestartPolicy } from './restart-policy';
export { isDescendant, signalProcess } from './signal';
