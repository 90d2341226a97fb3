// A pipeline whose input has no Arrow column builds; `map_batch` and `input_schema` on it are
// the errors, naming the type. Its outputs have columns, so `output_schema` is no error.
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
    let _ = Norm::input_schema();
}
