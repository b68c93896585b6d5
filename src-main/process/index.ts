// Public entry of the child-process layer: spawning, the parent link, exit descriptions and the restart policy.
export { spawnChild, underElectron, type ChildHandle, type ChildOptions } from './child-process';
export { connectToParent, type ParentLink } from './parent-link';
export { describeExit, isOutOfMemoryExit, lastErrorLine, type ChildExit } from './exit-description';
export { MessageValidator, describeZodIssues } from './message-validator';
export { RestartPolicy, type RestartPolicyOptions } from './restart-policy';
export { isDescendant, signalProcess } from './signal';
