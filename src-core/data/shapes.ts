// Curve- and region-shaped 2D sets: two moons, circles, checkerboard, swiss roll, pinwheel, spirals.
import type { DatasetDefinition, DatasetParam } from './types';

/** Builds a numeric parameter description. */
export function param(name: string, label: string, description: string, def: number, min: number, max: number, step: number, integer = false): DatasetParam {
  return { name, label, description, default: def, min, max, step, integer };
}

/** Two interleaved half circles of radius 2, centred on (-1, -0.5) (upper) and (1, 0.5) (lower). */
export const twoMoons: DatasetDefinition = {
  id: 'two-moons',
  label: 'Two moons',
  description: 'Two interleaving half circles: two curved clusters that no line separates.',
  defaultNoise: 0.1,
  params: [],
  hasMixture: false,
  draw(p, rng, out) {
    for (let i = 0; i < p.count; i++) {
      const theta = Math.PI * rng.uniform();
      const upper = i % 2 === 0;
      // sklearn's moons, shifted to zero mean and scaled by 2.
      out[2 * i] = upper ? 2 * Math.cos(theta) - 1 : 1 - 2 * Math.cos(theta);
      out[2 * i + 1] = upper ? 2 * Math.sin(theta) - 0.5 : 0.5 - 2 * Math.sin(theta);
    }
  },
};

/** Two concentric circles: radius 2 and 2 * factor. */
export const circles: DatasetDefinition = {
  id: 'circles',
  label: 'Circles',
  description: 'Two concentric rings: a distribution with a hole in the middle.',
  defaultNoise: 0.05,
  params: [param('factor', 'Inner radius', 'Inner ring radius as a fraction of the outer ring (radius 2)', 0.5, 0.05, 0.95, 0.05)],
  hasMixture: false,
  draw(p, rng, out) {
    const inner = 2 * p.values.factor;
    for (let i = 0; i < p.count; i++) {
      const r = i % 2 === 0 ? 2 : inner;
      const theta = 2 * Math.PI * rng.uniform();
      out[2 * i] = r * Math.cos(theta);
      out[2 * i + 1] = r * Math.sin(theta);
    }
  },
};

/** Uniform on the dark cells of a cells x cells board covering [-2, 2]^2 (cell (i, j) dark when i + j is even). */
export const checkerboard: DatasetDefinition = {
  id: 'checkerboard',
  label: 'Checkerboard',
  description: 'Uniform on the dark squares of a checkerboard: sharp edges and disconnected support.',
  defaultNoise: 0,
  params: [param('cells', 'Cells per side', 'Number of squares along each side of the board', 4, 2, 12, 1, true)],
  hasMixture: false,
  draw(p, rng, out) {
    const c = p.values.cells;
    const w = 4 / c;
    const dark: number[] = [];
    for (let i = 0; i < c; i++) for (let j = 0; j < c; j++) if ((i + j) % 2 === 0) dark.push(i * c + j);
    for (let k = 0; k < p.count; k++) {
      const cell = dark[rng.int(dark.length)];
      out[2 * k] = -2 + w * (Math.floor(cell / c) + rng.uniform());
      out[2 * k + 1] = -2 + w * ((cell % c) + rng.uniform());
    }
  },
};

/** The 2D swiss roll: angle a in [1.5 pi, 4.5 pi], point (a cos a, a sin a) / 5. */
export const swissRoll: DatasetDefinition = {
  id: 'swiss-roll',
  label: 'Swiss roll',
  description: 'A rolled-up spiral sheet seen from its side: one long curved manifold.',
  defaultNoise: 0.05,
  params: [],
  hasMixture: false,
  draw(p, rng, out) {
    for (let i = 0; i < p.count; i++) {
      const a = 1.5 * Math.PI * (1 + 2 * rng.uniform());
      out[2 * i] = (a * Math.cos(a)) / 5;
      out[2 * i + 1] = (a * Math.sin(a)) / 5;
    }
  },
};

/** Pinwheel arms: Gaussian blobs stretched along an exponential twist, one per arm. */
export const pinwheel: DatasetDefinition = {
  id: 'pinwheel',
  label: 'Pinwheel',
  description: 'Curved elongated arms around the origin: anisotropic, twisted clusters.',
  defaultNoise: 0,
  params: [
    param('arms', 'Arms', 'Number of arms', 5, 2, 12, 1, true),
    param('radialStd', 'Radial spread', 'Std along each arm before the twist', 0.3, 0.01, 1, 0.01),
    param('tangentialStd', 'Tangential spread', 'Std across each arm before the twist', 0.1, 0.01, 1, 0.01),
    param('rate', 'Twist', 'How strongly arms bend with distance from the centre', 0.25, 0, 1, 0.05),
  ],
  hasMixture: false,
  draw(p, rng, out) {
    const { arms, radialStd, tangentialStd, rate } = p.values;
    for (let i = 0; i < p.count; i++) {
      const arm = rng.int(arms);
      const r = radialStd * rng.normal() + 1;
      const s = tangentialStd * rng.normal();
      const angle = (2 * Math.PI * arm) / arms + rate * Math.exp(r);
      const c = Math.cos(angle);
      const sn = Math.sin(angle);
      out[2 * i] = 2 * (c * r - sn * s);
      out[2 * i + 1] = 2 * (sn * r + c * s);
    }
  },
};

/** Two interleaved spirals, point +-(-a cos a, a sin a) / 3 with a = sqrt(u) * turns * 2 pi. */
export const spirals: DatasetDefinition = {
  id: 'spirals',
  label: 'Two spirals',
  description: 'Two intertwined spiral arms: thin, long structures winding around each other.',
  defaultNoise: 0.1,
  params: [param('turns', 'Turns', 'How many turns each spiral makes', 1.5, 0.5, 3, 0.25)],
  hasMixture: false,
  draw(p, rng, out) {
    const span = p.values.turns * 2 * Math.PI;
    for (let i = 0; i < p.count; i++) {
      // sqrt(u) spreads points evenly along the arm, whose length grows with a.
      const a = Math.sqrt(rng.uniform()) * span;
      const sign = i % 2 === 0 ? 1 : -1;
      out[2 * i] = (sign * -Math.cos(a) * a) / 3;
      out[2 * i + 1] = (sign * Math.sin(a) * a) / 3;
    }
  },
};
