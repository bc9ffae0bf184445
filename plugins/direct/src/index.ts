export { AgentAPIError, AgentClient, type CommandResult, commandErrorText } from './agent-client.ts';
export { DirectDeploy } from './deploy.ts';
export { AgentRescue } from './rescue.ts';
export { buildImageInfo, checksumOf, type ImageInfo, isWholeDiskImage, validateInstanceInfo } from './image-info.ts';
export { powerAction, wipeAgent } from './node-power.ts';
