//! Datasets on a cluster: every process lists the same parts and takes its share, balanced by
//! bytes; it reads its parts and writes their part files itself, and only counts reach
//! process 0. A share whose process is lost is run again by another.

use super::Cluster;
use crate::arrow::Row;
use crate::arrow::RunsBatches;
use crate::collect::KeepAll;
use crate::dataset::{assign, DatasetReport, Gathered, Prepared, RunsDatasets, Sink, Source};
use crate::engine::{Executes, Parallel};
use crate::error::{panic_message, Error};
use crate::hooks::Hooks;
use crate::pipeline::Pipeline;
use crate::runner::Runner;

impl<P, H> RunsDatasets<P, H> for Cluster
where
    P: Pipeline + Sync,
    H: Hooks + Sync,
    P::InputFields: Row,
    P::OutputFields: Row,
    Parallel: RunsBatches<P, KeepAll<P::Outputs>> + Executes<P, Gathered<P>, KeepAll<P::Outputs>>,
{
    fn run_dataset(
        runner: &Runner<'_, P, Self, H>,
        source: Source,
        sink: Sink,
    ) -> Result<DatasetReport, Error> {
        let cluster = runner.engine();
        // Every process lists and checks the same files: the same parts, the same shares.
        let dataset = Prepared::new::<P>(source)?;
        let shares = assign(&dataset.listing.parts, cluster.processes());
        let local =
            Runner::new(runner.pipeline(), cluster.local_engine()).with_hooks(runner.hooks());
        let run = |share: usize, _: usize| {
            let ran = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                local.run_parts(&dataset, &sink, &shares[share])
            }));
            match ran {
                Ok(Ok(report)) => Ok((report.rows as usize, report.failed as usize)),
                Ok(Err(error)) => Err(format!("share {share}: {error}")),
                Err(payload) => Err(format!(
                    "share {share} panicked: {}",
                    panic_message(payload)
                )),
            }
        };
        let partitioned = cluster.run_partitioned(shares.len(), &run)?;
        let mut report = DatasetReport::default();
        let mut lost = Vec::new();
        for (share, ran) in shares.iter().zip(&partitioned.partitions) {
            match &ran.outcome {
                Ok((rows, failed)) => {
                    report.parts += share.len();
                    report.rows += *rows as u64;
                    report.failed += *failed as u64;
                    report.written += (*rows - *failed) as u64;
                    for &part in share {
                        let part = &dataset.listing.parts[part];
                        if part.rows > 0 {
                            report.files.push(sink.part_path(part.index));
                        }
                        let errors = sink.errors_path(part.index);
                        if errors.exists() {
                            report.error_files.push(errors);
                        }
                    }
                }
                Err(why) => lost.push(format!("process {}: {why}", ran.process)),
            }
        }
        report.files.sort();
        report.error_files.sort();
        match lost.is_empty() {
            true => Ok(report),
            false => Err(Error::dataset(format!(
                "{} of {} shares could not be written ({}); {report}",
                lost.len(),
                shares.len(),
                lost.join("; ")
            ))),
        }
    }
}
