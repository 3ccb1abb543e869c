import type { ChaosLevel, ChaosProfile } from './chaos-types.js';
import type { ClusterSettings } from './settings.js';

export type ScenarioId = 'tutorial' | 'bank' | 'inventory' | 'feed' | 'cart' | 'telemetry' | 'chat';
/** A frozen earlier revision of a scenario (retired.ts): what recordings made before a change run on. */
export type RetiredScenarioId = 'telemetry@1' | 'feed@1' | 'telemetry@2';
/** Any scenario a simulation can run: a current one, or a retired revision (replays and restores only). */
export type RunnableScenarioId = ScenarioId | RetiredScenarioId;

export interface RegionDef {
  id: string;
  /** Shown to players, e.g. "Europe". */
  name: string;
}

export interface Sla {
  /** Fraction of requests that must succeed, e.g. 0.999. */
  availability: number;
  /** 99th percentile latency target for successful requests, ms. */
  p99Ms: number;
  /** Stale reads tolerated over the round (0 for a bank). */
  maxStaleReads: number;
  /** Lost acknowledged writes tolerated over the round. */
  maxLostWrites: number;
}

export interface Workload {
  /** Keys are named `${keyPrefix}-${index}` for index in [0, keys). */
  keys: number;
  keyPrefix: string;
  /** Share of operations that are reads. */
  readFraction: number;
  /** The first `hotKeys` keys receive `hotFraction` of the traffic. */
  hotKeys: number;
  hotFraction: number;
  /** Client operations per second at the start and at the end of the live phase (linear ramp). */
  startRate: number;
  endRate: number;
  /** Simulated client processes per region (each has at most one operation in flight). */
  clientsPerRegion: number;
  /** A client gives up on an operation after this long, simulated ms. */
  timeoutMs: number;
  /** Share of traffic from each region (same length as regions). */
  regionWeights: number[];
  /**
   * What one simulated request carries when it stands for several items (a batch of sensor
   * readings). Every count stays in requests — throughput, the error budget, stale reads, lost
   * writes — and the screens say how many items that makes. Absent: a request is one item.
   */
  batch?: { size: number; items: string };
}

export interface Topology {
  regions: RegionDef[];
  /** Nodes in each region at the start (same length as regions). */
  nodesPerRegion: number[];
  /** Requests per second one node of size 1 can serve. */
  nodeCapacity: number;
  /** Round-trip-free one-way latency ranges. */
  intraRegionMs: [number, number];
  /** One-way base latency between region i and j (symmetric, diagonal ignored). */
  crossRegionMs: number[][];
  /** Uniform extra delay per message, up to this many ms. */
  jitterMs: number;
  /** Background probability a message is lost. */
  loss: number;
}

/**
 * The most nodes a cluster can ever have, counting those removed during the round (node ids
 * are 0..MAX_NODES-1): the simulation's node slots, the protocol's node bound, the ceiling of
 * every budget's maxNodes.
 */
export const MAX_NODES = 15;

export interface Budget {
  /** Cost units the team may spend over the round; cost = node-seconds × node size. */
  limit: number;
  /** Most nodes the cluster may have at once. */
  maxNodes: number;
}

/** Weights of the score's parts; each part is in [0, 1] and the score is 1000 × weighted mean. */
export interface ScoringWeights {
  availability: number;
  latency: number;
  consistency: number;
  durability: number;
  cost: number;
}

export interface TutorialStep {
  id: string;
  /** What the step asks the player to do, in the game's words. */
  prompt: string;
  /** The command type that completes the step, or 'observe' for steps that only explain. */
  expects: string;
}

export interface Scenario {
  /** A current scenario's id, or a retired revision's ('telemetry@1'). */
  id: RunnableScenarioId;
  title: string;
  /** The customer's card shown at briefing. */
  briefing: string;
  /** Concepts this scenario teaches, in the seed notes' words. */
  teaches: string[];
  sla: Sla;
  topology: Topology;
  workload: Workload;
  chaos: Record<ChaosLevel, ChaosProfile>;
  budget: Budget;
  scoring: ScoringWeights;
  /** Named presets; every scenario has at least `cp` and `ap`. */
  presets: { cp: ClusterSettings; ap: ClusterSettings } & Record<string, ClusterSettings>;
  /** The preset whose architecture fits the promise best (what the briefing recommends, and the expert picks). */
  recommended: string;
  /** The preset that fits the promise worst (e.g. availability-first for a bank). */
  worst: string;
  /** Default length of the live phase, simulated ms. */
  durationMs: number;
  tutorial?: TutorialStep[];
}
