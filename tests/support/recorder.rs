// Shared by tests/hooks.rs and tests/nested.rs (included, not a test target).

use std::sync::Mutex;

use hypernodes::hooks::{Event, Hooks};

/// Records every event as a short line.
#[derive(Default)]
pub struct Recorder(Mutex<Vec<String>>);

impl Recorder {
    pub fn take(&self) -> Vec<String> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

impl Hooks for Recorder {
    fn on(&self, event: &Event<'_>) {
        let line = match event {
            Event::PipelineStart { scope } => format!("run {scope}"),
            Event::PipelineEnd { scope, ok, .. } => format!("end {scope} ok={ok}"),
            Event::MapStart { pipeline, items } => match items {
                Some(items) => format!("map {} items={items}", pipeline.name),
                None => format!("map {} items=?", pipeline.name),
            },
            Event::ItemStart { scope } => format!("item {scope}"),
            Event::ItemEnd { scope, ok } => format!("item end {scope} ok={ok}"),
            Event::MapEnd {
                pipeline,
                items,
                failed,
                ..
            } => format!("map end {} items={items} failed={failed}", pipeline.name),
            Event::NodeStart { scope, node, items } => format!("  {scope}.{node} x{items}"),
            Event::NodeEnd { scope, node, .. } => format!("  {scope}.{node} done"),
            Event::NestedStart {
                scope,
                node,
                elements,
            } => format!("  {scope} > {node} elements={elements:?}"),
            Event::NestedEnd { scope, node, .. } => format!("  {scope} < {node}"),
            Event::Error { scope, error } => format!("error {scope}: {error}"),
            _ => format!("{event:?}"),
        };
        self.0.lock().unwrap().push(line);
    }
}
