// Entry of piscina workers when Kairos runs from its TypeScript sources (tests, tsx):
// registers tsx in this thread, then loads the real entry named in workerData.
import { register } from 'tsx/esm/api';
import { workerData } from 'piscina';

register();
const mod = await import(workerData.entry);
export default mod.default;
