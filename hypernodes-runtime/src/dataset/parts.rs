//! A dataset cut into parts: runs of whole units of one file (Parquet row groups, IPC record
//! batches, the lines of a text file starting in one stretch of bytes, a whole CSV file whose
//! records span lines), the unit a run reads, writes as one part file, and (on a cluster)
//! hands to one process.

use std::ops::Range;
use std::path::PathBuf;

/// A run of units of one file: row groups of a Parquet file, record batches of an IPC file,
/// or the whole of a JSON Lines or CSV file (its one unit).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Part {
    /// Its position among the dataset's parts: the number of its part file.
    pub index: usize,
    /// The file it is in.
    pub file: PathBuf,
    /// Its units: the file's row groups (Parquet), record batches (IPC), stretches of
    /// `part_bytes` bytes whose starting lines it holds (JSON Lines, CSV), or `0..1` (a CSV
    /// file whose records span lines).
    pub row_groups: Range<usize>,
    /// The file's row number of its first row.
    pub first_row: u64,
    /// Its rows.
    pub rows: u64,
    /// Its bytes (compressed for Parquet): what parts are balanced by.
    pub bytes: u64,
}

/// One file's units as (rows, bytes).
pub(crate) struct FileLayout {
    pub file: PathBuf,
    pub row_groups: Vec<(u64, u64)>,
}

/// The parts of `files`, in file order: each file's row groups cut into runs of at most
/// `target_bytes` (a row group larger than that is a part of its own). The same files give
/// the same parts on every process.
pub(crate) fn cut(files: &[FileLayout], target_bytes: u64) -> Vec<Part> {
    let mut parts = Vec::new();
    for layout in files {
        let mut first_row = 0;
        let mut start = 0;
        while start < layout.row_groups.len() {
            let (mut end, mut rows, mut bytes) = (start, 0, 0);
            while end < layout.row_groups.len()
                && (end == start || bytes + layout.row_groups[end].1 <= target_bytes)
            {
                rows += layout.row_groups[end].0;
                bytes += layout.row_groups[end].1;
                end += 1;
            }
            parts.push(Part {
                index: parts.len(),
                file: layout.file.clone(),
                row_groups: start..end,
                first_row,
                rows,
                bytes,
            });
            first_row += rows;
            start = end;
        }
    }
    parts
}

/// Which parts each of `processes` takes: the largest parts first, each to the process with
/// the fewest bytes so far (the lowest number on a tie). Every part goes to exactly one
/// process, and every process computes the same answer.
#[cfg_attr(not(feature = "cluster"), allow(dead_code))]
pub(crate) fn assign(parts: &[Part], processes: usize) -> Vec<Vec<usize>> {
    let mut order: Vec<usize> = (0..parts.len()).collect();
    order.sort_by_key(|&i| (std::cmp::Reverse(parts[i].bytes), i));
    let mut load = vec![0u64; processes];
    let mut assigned = vec![Vec::new(); processes];
    for i in order {
        let lightest = (0..processes)
            .min_by_key(|&p| (load[p], p))
            .expect("one process at least");
        load[lightest] += parts[i].bytes;
        assigned[lightest].push(i);
    }
    for parts in &mut assigned {
        parts.sort_unstable();
    }
    assigned
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layout(name: &str, groups: &[(u64, u64)]) -> FileLayout {
        FileLayout {
            file: name.into(),
            row_groups: groups.to_vec(),
        }
    }

    #[test]
    fn parts_cover_every_row_group_once_in_order() {
        let files = [
            layout("a", &[(10, 5), (10, 5), (10, 50), (3, 1)]),
            layout("b", &[(7, 2)]),
        ];
        let parts = cut(&files, 10);
        let spans: Vec<(&str, Range<usize>, u64)> = parts
            .iter()
            .map(|p| (p.file.to_str().unwrap(), p.row_groups.clone(), p.first_row))
            .collect();
        assert_eq!(
            spans,
            [
                ("a", 0..2, 0),
                ("a", 2..3, 20),
                ("a", 3..4, 30),
                ("b", 0..1, 0)
            ]
        );
        assert_eq!(parts.iter().map(|p| p.rows).sum::<u64>(), 40);
        assert_eq!(
            parts.iter().map(|p| p.index).collect::<Vec<_>>(),
            [0, 1, 2, 3]
        );
    }

    #[test]
    fn assignment_is_a_partition_balanced_by_bytes() {
        let groups: Vec<(u64, u64)> = (1..=20).map(|i| (i, i * 3 % 17 + 1)).collect();
        let parts = cut(&[layout("a", &groups)], 1);
        for processes in 1..5 {
            let assigned = assign(&parts, processes);
            let mut all: Vec<usize> = assigned.concat();
            all.sort_unstable();
            assert_eq!(all, (0..parts.len()).collect::<Vec<_>>());
            let loads: Vec<u64> = assigned
                .iter()
                .map(|a| a.iter().map(|&i| parts[i].bytes).sum())
                .collect();
            let largest = parts.iter().map(|p| p.bytes).max().unwrap();
            assert!(loads.iter().max().unwrap() - loads.iter().min().unwrap() <= largest);
            assert_eq!(
                assign(&parts, processes),
                assigned,
                "the same on every process"
            );
        }
    }
}
