/** The lessons of the game (game-model.md, from the text it teaches), as a debrief states them. */
export const LESSONS = {
  L1: 'Scaling up is simple: a bigger blender needs no code changes, no network and no extra parts.',
  L2: 'Scaling up gets expensive fast: 2x the power often costs 5-10x the price.',
  L3: 'There is a ceiling: past the biggest blender, scaling up cannot help.',
  L4: 'One server is a single point of failure: when it breaks, nobody is served.',
  L5: 'Scaling out grows in steps of the same price: 2x the power for about 2x the cost.',
  L6: 'Scaling out needs a load balancer: without one, customers only find the first stand.',
  L7: 'Every extra machine adds network hops, and each hop adds a little wait.',
  L8: 'Stateful servers lose their sessions when they fail; keep state outside (the shared notebook) and servers become interchangeable.',
  L9: 'Redundancy: the load balancer and the notebook are single points of failure too, until there are two.',
} as const;

export type LessonId = keyof typeof LESSONS;
