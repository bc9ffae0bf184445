/** @anvil/plugin-vnc: graphical consoles (fake-graphical), the noVNC proxy and a small RFB server. */
export { FakeGraphicalConsole } from './fake-graphical.ts';
export { containerProvider, type ConsoleContainerProvider } from './containers.ts';
export { startNovncProxy, type ConsoleNode, type NovncProxy, type NovncProxyOptions } from './novncproxy.ts';
export { startRfbServer, type RfbServer } from './rfb-server.ts';
export { ByteQueue } from './byte-queue.ts';
export { publicUrl } from './public-url.ts';
export * as rfb from './rfb.ts';
export * as websocket from './websocket.ts';
export * as token from './token.ts';
