// A pipeline whose input has no Arrow column builds; `map_batch` on it is the error, naming
// the type.
use hypernodes::arrow::arrow_array::RecordBatch;
use hypernodes::{node, pipeline, Sequential};

pub struct Point {
    pub x: f32,
}

#[node(output = "norm")]
fn norm(point: &Point) -> f32 {
    point.x.abs()
}

pipeline! { Norm = [norm] }

fn main() {
    let batch = RecordBatch::new_empty(Norm::output_schema());
    let _ = Norm::new().with_engine(Sequential).map_batch(&batch);
    let _ = Norm::new().map_batch(&batch);
}
