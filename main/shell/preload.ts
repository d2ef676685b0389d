/**
 * The only bridge between the sandboxed renderer and the main process: two functions, no
 * Node, no ipcRenderer handed out. Events are validated again on this side.
 */
import { contextBridge, type IpcRendererEvent, ipcRenderer } from 'electron';
import {
  type BridgeApi,
  IPC_COMMAND,
  IPC_EVENT,
  type PageEvent,
  parseCommand,
} from '../contract/protocol.js';
import { SnapshotAssembly } from '../contract/snapshot-parts.js';

const api: BridgeApi = {
  send(command) {
    const valid = parseCommand(command);
    if (valid) ipcRenderer.send(IPC_COMMAND, valid);
  },
  onEvent(listener: (event: PageEvent) => void) {
    // A large snapshot comes in parts (main/contract/snapshot-parts.ts); the page sees it whole.
    const assembly = new SnapshotAssembly();
    const handler = (_event: IpcRendererEvent, payload: unknown) => {
      for (const event of assembly.receive(payload)) listener(event);
    };
    ipcRenderer.on(IPC_EVENT, handler);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, handler);
    };
  },
};

contextBridge.exposeInMainWorld('workbins', api);
