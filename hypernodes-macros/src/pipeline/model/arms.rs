//! Branch arms as guards: which nodes can run for the same item, and under which arms a value
//! produced in some of them certainly exists.

use crate::pipeline::parse::list::{Branch, Guard};

/// Whether `outer` holds wherever `inner` does: `inner` sits in `outer`'s arms or deeper.
pub fn within(inner: &Guard, outer: &Guard) -> bool {
    inner.starts_with(outer)
}

/// The guards under which a value certainly exists, given the guards of its producers: those
/// guards, with the arms of a branch merged into the branch's own guard wherever every one of
/// its arms produces the value (again and again, so nested branches merge from the inside).
pub fn coverage(mut guards: Vec<Guard>, branches: &[Branch]) -> Vec<Guard> {
    loop {
        let merged = branches.iter().enumerate().find_map(|(b, branch)| {
            let arm_guard = |arm: usize| {
                let mut guard = branch.guard.clone();
                guard.push((b, arm));
                guard
            };
            let covered = (0..branch.patterns.len()).all(|arm| guards.contains(&arm_guard(arm)));
            covered.then(|| branch.guard.clone())
        });
        let Some(outer) = merged else {
            return guards;
        };
        guards.retain(|g| !within(g, &outer));
        guards.push(outer);
    }
}

/// `Route::Reject`, `true` ...: an arm as the user wrote it, for messages.
pub fn arm_label(branches: &[Branch], (branch, arm): (usize, usize)) -> String {
    let branch = &branches[branch];
    format!(
        "`{}` of the branch on `{}`",
        crate::pipeline::parse::list::pattern_text(&branch.patterns[arm]),
        branch.value
    )
}
