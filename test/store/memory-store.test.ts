import { MemoryStore } from '../../store/index.ts';
import { eventStoreConformance } from './conformance/event-store-conformance.ts';

eventStoreConformance({ name: 'MemoryStore', open: async () => new MemoryStore(), supports: { durable: false } });
