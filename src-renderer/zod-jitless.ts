// Turns off zod's compiled fast path in the renderer: it probes `new Function`, which the page's CSP (script-src 'self') refuses and reports.
import { z } from 'zod';

z.config({ jitless: true });
