// Classroom sessions in the browser: the host's dashboard, the projector view, and a
// student's way through a class. The app (client/src/main.ts) calls startClass for a class
// address and lends it its screen area and round screens (ClassShell).

import './class.css';
import { HostDashboard } from './host.js';
import { Projector } from './projector.js';
import { StudentFlow } from './student.js';
import type { ClassRoute } from './paths.js';
import type { ClassShell } from './shell.js';

export { classRouteOf, type ClassRoute } from './paths.js';
export { classEntry } from './entry.js';
export type { ClassShell } from './shell.js';

export function startClass(route: ClassRoute, shell: ClassShell): void {
  if (route.kind === 'host') void new HostDashboard(shell).start();
  else if (route.kind === 'projector') void new Projector(shell).start();
  else new StudentFlow(shell, route.code).start();
}
