// Preload that lets Node 20 run .ts files: ava worker threads and piscina workers
// started from tests load it too (Node's --import does not reach them reliably).
import { register } from 'tsx/esm/api';
import { register as registerCjs } from 'tsx/cjs/api';

register();
registerCjs();
