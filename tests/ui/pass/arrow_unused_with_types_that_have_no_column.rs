// With the `arrow` feature on, a pipeline over types that have no Arrow column still builds
// and runs: only a call to `map_batch` or a schema asks for columns.
use hypernodes::{node, pipeline};

#[derive(Clone, Debug)]
pub struct Point {
    pub x: f32,
}

#[node(output = "norm")]
fn norm(point: &Point) -> f32 {
    point.x.abs()
}

pipeline! { Norm = [norm] }

fn main() {
    let out = Norm::new().run(NormInputs { point: Point { x: -2.0 } }).unwrap();
    assert_eq!(out.norm, 2.0);
}
