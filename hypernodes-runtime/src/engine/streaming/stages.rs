//! How a pipeline is cut into stages: neighbouring nodes that would get pools of the same size
//! run fused in one stage (no hand-over between them); a node with a `max_concurrency` of its
//! own gets a stage, and a pool of that size, to itself.

use std::ops::Range;

use crate::plan::Plan;

/// One stage: the nodes (steps, in run order) it runs and the size of its worker pool.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Stage {
    /// Positions in run order of the nodes this stage runs, one after another, on each unit.
    pub steps: Range<usize>,
    /// Workers of the stage.
    pub workers: usize,
}

/// The stages of `plan`, each pool `threads` wide unless its nodes' `max_concurrency` says
/// otherwise. A pipeline with no node is one empty stage.
pub(crate) fn stages(plan: &Plan, threads: usize) -> Vec<Stage> {
    let threads = threads.max(1);
    let pool = |step: usize| {
        plan.nodes[step]
            .config
            .max_concurrency
            .value
            .unwrap_or(threads)
            .max(1)
    };
    let mut stages: Vec<Stage> = Vec::new();
    for step in 0..plan.nodes.len() {
        let workers = pool(step);
        match stages.last_mut() {
            Some(last) if last.workers == workers => last.steps.end = step + 1,
            _ => stages.push(Stage {
                steps: step..step + 1,
                workers,
            }),
        }
    }
    if stages.is_empty() {
        stages.push(Stage {
            steps: 0..0,
            workers: threads,
        });
    }
    stages
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{ConfigSource, NodeConfig, Setting};
    use crate::info::NodeKind;
    use crate::plan::NodePlan;

    /// A plan of nodes whose `max_concurrency` are `limits`.
    fn plan_of(limits: &[Option<usize>]) -> Plan {
        let nodes = limits
            .iter()
            .map(|&limit| NodePlan {
                name: "node",
                kind: NodeKind::Function,
                batch: false,
                config: NodeConfig {
                    max_concurrency: Setting::new(limit, ConfigSource::Node),
                    ..NodeConfig::BUILTIN
                },
                stateful: &[],
                nested: None,
                when: None,
            })
            .collect();
        Plan::for_test(nodes)
    }

    fn stage(steps: Range<usize>, workers: usize) -> Stage {
        Stage { steps, workers }
    }

    #[test]
    fn a_node_with_its_own_limit_gets_its_own_stage_and_neighbours_fuse() {
        let plan = plan_of(&[None, Some(1), None, None]);
        let expected = [stage(0..1, 2), stage(1..2, 1), stage(2..4, 2)];
        assert_eq!(stages(&plan, 2), expected);
    }

    #[test]
    fn equal_limits_fuse_and_no_node_is_one_stage() {
        let plan = plan_of(&[Some(4), Some(4), None]);
        assert_eq!(stages(&plan, 2), [stage(0..2, 4), stage(2..3, 2)]);
        assert_eq!(stages(&plan_of(&[]), 3), [stage(0..0, 3)]);
    }
}
