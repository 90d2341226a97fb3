//! The GPU devices a run can hand to stateful resources of nodes with `gpus = n`.

use std::fmt;

/// The devices visible to this process, as the ordinals CUDA uses inside it (`0..count`).
///
/// Read from `CUDA_VISIBLE_DEVICES` when it is set (`"0,2"` gives two devices, `""` or `"-1"`
/// none), else detected from `/dev/nvidia<N>`. An engine can be given its own with
/// `Parallel::new().devices(..)`.
///
/// ```
/// use hypernodes::engine::Devices;
/// let two = Devices::from_cuda_visible_devices("3,1");
/// assert_eq!(two.ordinals(), [0, 1]); // renumbered inside the process, as CUDA does
/// assert_eq!(Devices::from_cuda_visible_devices("-1").ordinals(), [] as [u32; 0]);
/// assert_eq!(Devices::count(4).ordinals().len(), 4);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Devices {
    count: u32,
    origin: Origin,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Origin {
    Variable(String),
    Detected,
    Given,
}

impl Devices {
    /// The devices of this process: `CUDA_VISIBLE_DEVICES`, else `/dev/nvidia<N>` files.
    pub fn visible() -> Self {
        match std::env::var("CUDA_VISIBLE_DEVICES") {
            Ok(value) => Self::from_cuda_visible_devices(&value),
            Err(_) => Devices {
                count: detect(),
                origin: Origin::Detected,
            },
        }
    }

    /// The devices a `CUDA_VISIBLE_DEVICES` value names. Like CUDA, the list ends at the first
    /// entry that is not a device (a negative number or an empty entry).
    pub fn from_cuda_visible_devices(value: &str) -> Self {
        let count = value
            .split(',')
            .map(str::trim)
            .take_while(|entry| !entry.is_empty() && !entry.starts_with('-'))
            .count();
        Devices {
            count: u32::try_from(count).unwrap_or(u32::MAX),
            origin: Origin::Variable(value.to_owned()),
        }
    }

    /// Exactly `count` devices, ordinals `0..count`.
    pub fn count(count: u32) -> Self {
        Devices {
            count,
            origin: Origin::Given,
        }
    }

    /// The device ordinals, from 0.
    pub fn ordinals(&self) -> Vec<u32> {
        (0..self.count).collect()
    }

    /// How many devices there are.
    pub fn len(&self) -> usize {
        self.count as usize
    }

    /// Whether there is no device.
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }
}

impl fmt::Display for Devices {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let count = self.count;
        match &self.origin {
            Origin::Variable(value) => write!(f, "{count} (CUDA_VISIBLE_DEVICES={value:?})"),
            Origin::Detected => write!(f, "{count} (found as /dev/nvidia<N>)"),
            Origin::Given => write!(f, "{count} (given to the engine)"),
        }
    }
}

fn detect() -> u32 {
    let Ok(entries) = std::fs::read_dir("/dev") else {
        return 0;
    };
    let is_device = |name: &str| {
        name.strip_prefix("nvidia")
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
    };
    let found = entries
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_str().is_some_and(is_device))
        .count();
    u32::try_from(found).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_variable_lists_devices_until_the_first_invalid_entry() {
        assert_eq!(Devices::from_cuda_visible_devices("0,1,2").len(), 3);
        assert_eq!(
            Devices::from_cuda_visible_devices("GPU-8a1b,GPU-77").len(),
            2
        );
        assert_eq!(Devices::from_cuda_visible_devices("0,-1,2").len(), 1);
        assert!(Devices::from_cuda_visible_devices("").is_empty());
        assert_eq!(
            Devices::from_cuda_visible_devices("1").to_string(),
            "1 (CUDA_VISIBLE_DEVICES=\"1\")"
        );
    }
}
