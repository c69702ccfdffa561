import test from 'ava';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { SqliteStore } from '../../store/index.ts';
import { eventStoreConformance } from './conformance/event-store-conformance.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kairos-store-'));
test.after.always(() => fs.rmSync(dir, { recursive: true, force: true }));
eventStoreConformance({ name: 'SqliteStore', open: (place) => SqliteStore.open(path.join(dir, `${place}.db`)), supports: { durable: true } });
