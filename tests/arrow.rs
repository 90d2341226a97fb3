//! Record batches in and out of pipelines: `map_batch` on each engine, schemas, the layouts a
//! column accepts, and the errors for columns that cannot be read (before any item runs).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use hypernodes::arrow::arrow_array::builder::{LargeListBuilder, ListBuilder, UInt64Builder};
use hypernodes::arrow::arrow_array::cast::AsArray;
use hypernodes::arrow::arrow_array::{
    Array, ArrayRef, Float32Array, Int32Array, LargeStringArray, RecordBatch, StringArray,
    StringViewArray, UInt16Array, UInt64Array,
};
use hypernodes::arrow::arrow_schema::DataType;
use hypernodes::{node, pipeline, ErrorKind, Parallel, Sequential, Streaming};

static CALLS: AtomicUsize = AtomicUsize::new(0);

#[node(output = "summary")]
fn summarize(text: &str, id: u64, weight: Option<f64>, tags: &[String]) -> String {
    CALLS.fetch_add(1, Ordering::SeqCst);
    format!("{id}:{text}:{weight:?}:{}", tags.join("+"))
}

#[node(output = "length")]
fn length(text: &str) -> Option<u32> {
    (!text.is_empty()).then_some(text.len() as u32)
}

pipeline! { Summary = [summarize, length] }

fn column(values: impl Array + 'static) -> ArrayRef {
    Arc::new(values)
}

fn tags(rows: &[&[&str]]) -> ArrayRef {
    let mut list = ListBuilder::new(hypernodes::arrow::arrow_array::builder::StringBuilder::new());
    for row in rows {
        for tag in *row {
            list.values().append_value(tag);
        }
        list.append(true);
    }
    column(list.finish())
}

fn batch() -> RecordBatch {
    RecordBatch::try_from_iter([
        ("extra", column(Int32Array::from(vec![10, 20, 30]))),
        ("text", column(StringArray::from(vec!["ab", "", "xyz"]))),
        ("id", column(UInt64Array::from(vec![1, 2, 3]))),
        (
            "weight",
            column(hypernodes::arrow::arrow_array::Float64Array::from(vec![
                Some(0.5),
                None,
                Some(2.0),
            ])),
        ),
        ("tags", tags(&[&["a"], &[], &["b", "c"]])),
    ])
    .unwrap()
}

fn strings(array: &ArrayRef) -> Vec<Option<&str>> {
    array.as_string::<i32>().iter().collect()
}

#[test]
fn every_engine_maps_a_batch_keeping_its_columns_and_adding_the_outputs() {
    let input = batch();
    let p = Summary::new();
    let outs = [
        p.map_batch(&input).unwrap(),
        p.with_engine(Sequential).map_batch(&input).unwrap(),
        p.with_engine(Parallel::new().batch_size(1))
            .map_batch(&input)
            .unwrap(),
        p.with_engine(Streaming::new()).map_batch(&input).unwrap(),
    ];
    for out in &outs {
        let schema = out.schema();
        let names: Vec<&str> = schema.fields().iter().map(|f| f.name().as_str()).collect();
        assert_eq!(
            names,
            ["extra", "text", "id", "weight", "tags", "summary", "length"]
        );
        for i in 0..5 {
            assert!(
                Arc::ptr_eq(out.column(i), input.column(i)),
                "column {i} was copied"
            );
        }
        assert_eq!(
            strings(out.column(5)),
            [
                Some("1:ab:Some(0.5):a"),
                Some("2::None:"),
                Some("3:xyz:Some(2.0):b+c")
            ]
        );
        let length = out
            .column(6)
            .as_primitive::<hypernodes::arrow::arrow_array::types::UInt32Type>();
        assert_eq!(length.iter().collect::<Vec<_>>(), [Some(2), None, Some(3)]);
        assert!(out.schema().field(6).is_nullable() && !out.schema().field(5).is_nullable());
    }
}

#[test]
fn schemas_name_each_input_and_output_with_its_arrow_type() {
    let inputs = Summary::input_schema();
    let described: Vec<(&str, &DataType, bool)> = inputs
        .fields()
        .iter()
        .map(|f| (f.name().as_str(), f.data_type(), f.is_nullable()))
        .collect();
    assert_eq!(described[0], ("text", &DataType::Utf8, false));
    assert_eq!(described[1], ("id", &DataType::UInt64, false));
    assert_eq!(described[2], ("weight", &DataType::Float64, true));
    assert!(matches!(described[3], ("tags", DataType::List(_), false)));
    let outputs = Summary::output_schema();
    assert_eq!(outputs.field(1).data_type(), &DataType::UInt32);
    // A batch of the input schema is what `map_batch` reads.
    assert_eq!(hypernodes::arrow::input_schema::<Summary>(), inputs);
}

#[test]
fn an_output_named_like_an_input_column_takes_its_place() {
    #[node(output = "text")]
    fn upper(raw: &str) -> String {
        raw.to_uppercase()
    }
    pipeline! { Upper = [upper] }
    let input = RecordBatch::try_from_iter([
        ("text", column(StringArray::from(vec!["old"]))),
        ("raw", column(StringArray::from(vec!["new"]))),
    ])
    .unwrap();
    let out = Upper::new().map_batch(&input).unwrap();
    assert_eq!(out.num_columns(), 2);
    assert_eq!(strings(out.column(0)), [Some("NEW")]);
}

fn replaced(name: &str, values: ArrayRef) -> RecordBatch {
    let input = batch();
    let schema = input.schema();
    let columns = schema.fields().iter().zip(input.columns()).map(|(f, c)| {
        let c = if f.name() == name {
            values.clone()
        } else {
            c.clone()
        };
        (f.name().clone(), c)
    });
    RecordBatch::try_from_iter(columns).unwrap()
}

#[test]
fn a_missing_column_is_an_error_naming_it_before_any_item_runs() {
    let input = batch();
    let without_id = input.project(&[0, 1, 3, 4]).unwrap();
    CALLS.store(0, Ordering::SeqCst);
    let err = Summary::new()
        .with_engine(Sequential)
        .map_batch(&without_id)
        .unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Column { column, .. } if column == "id"));
    assert_eq!(
        err.to_string(),
        r#"column `id`: missing from the batch, whose columns are ["extra", "text", "weight", "tags"]"#
    );
    assert_eq!(CALLS.load(Ordering::SeqCst), 0);
}

#[test]
fn a_mistyped_column_names_the_column_its_arrow_type_and_the_rust_type() {
    let input = replaced("id", column(StringArray::from(vec!["1", "2", "3"])));
    let err = Summary::new()
        .with_engine(Sequential)
        .map_batch(&input)
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "column `id`: its Arrow type Utf8 cannot be read as `u64` (which is written as UInt64)"
    );
    // A narrowing is not a widening: i64 is not read as u64.
    let input = replaced(
        "id",
        column(hypernodes::arrow::arrow_array::Int64Array::from(vec![
            1, 2, 3,
        ])),
    );
    assert!(Summary::new().map_batch(&input).is_err());
}

#[test]
fn a_null_in_an_input_that_is_not_an_option_names_the_column_and_row() {
    let input = replaced(
        "id",
        column(UInt64Array::from(vec![Some(1), Some(2), None])),
    );
    CALLS.store(0, Ordering::SeqCst);
    let err = Summary::new()
        .with_engine(Sequential)
        .map_batch(&input)
        .unwrap_err();
    assert_eq!(err.item(), Some(2));
    assert_eq!(
        err.to_string(),
        "column `id` at row 2: null, and `u64` has no null (make the input an `Option`)"
    );
    assert_eq!(CALLS.load(Ordering::SeqCst), 0);
}

#[test]
fn a_null_inside_a_list_names_the_row_of_the_list() {
    let mut list = ListBuilder::new(UInt64Builder::new());
    list.values().append_value(1);
    list.append(true);
    list.values().append_value(2);
    list.values().append_null();
    list.append(true);
    let input = RecordBatch::try_from_iter([("values", column(list.finish()))]).unwrap();
    #[node(output = "total")]
    fn total(values: &[u64]) -> u64 {
        values.iter().sum()
    }
    pipeline! { Total = [total] }
    let err = Total::new().map_batch(&input).unwrap_err();
    assert_eq!(err.item(), Some(1));
    assert!(
        err.to_string()
            .starts_with("column `values` at row 1: null"),
        "{err}"
    );
}

#[test]
fn compatible_layouts_are_read_widened_or_converted() {
    #[node(output = "row")]
    fn row(text: String, small: i64, unsigned: i64, ratio: f64, values: Vec<u64>) -> String {
        format!("{text}/{small}/{unsigned}/{ratio}/{values:?}")
    }
    pipeline! { Rows = [row] }
    let mut large_list = LargeListBuilder::new(UInt64Builder::new());
    large_list.values().append_value(7);
    large_list.append(true);
    large_list.append(true);
    let base = [
        ("small", column(Int32Array::from(vec![-1, 2]))),
        ("unsigned", column(UInt16Array::from(vec![65535, 0]))),
        ("ratio", column(Float32Array::from(vec![0.5, 1.5]))),
        ("values", column(large_list.finish())),
    ];
    for text in [
        column(LargeStringArray::from(vec!["a", "b"])),
        column(StringViewArray::from(vec!["a", "b"])),
    ] {
        let columns = base.iter().cloned().chain([("text", text)]);
        let out = Rows::new()
            .map_batch(&RecordBatch::try_from_iter(columns).unwrap())
            .unwrap();
        assert_eq!(
            strings(out.column(5)),
            [Some("a/-1/65535/0.5/[7]"), Some("b/2/0/1.5/[]")]
        );
    }
    let schema = Rows::input_schema();
    assert_eq!(schema.field(1).data_type(), &DataType::Int64);
}

#[test]
fn a_sliced_batch_reads_its_own_rows() {
    let input = batch().slice(1, 2);
    let out = Summary::new()
        .with_engine(Sequential)
        .map_batch(&input)
        .unwrap();
    assert_eq!(
        strings(out.column(5)),
        [Some("2::None:"), Some("3:xyz:Some(2.0):b+c")]
    );
}

#[test]
fn fixed_size_lists_read_and_write_arrays() {
    use hypernodes::arrow::arrow_array::types::Float32Type;
    use hypernodes::arrow::arrow_array::FixedSizeListArray;
    #[node(output = "scaled")]
    fn scale(embedding: [f32; 3]) -> [f32; 3] {
        embedding.map(|x| x * 2.0)
    }
    pipeline! { Scale = [scale] }
    let rows = [
        Some([Some(1.0), Some(2.0), Some(3.0)]),
        Some([Some(0.0), Some(0.5), Some(-1.0)]),
    ];
    let embedding = FixedSizeListArray::from_iter_primitive::<Float32Type, _, _>(rows, 3);
    let input = RecordBatch::try_from_iter([("embedding", column(embedding))]).unwrap();
    let out = Scale::new().map_batch(&input.slice(1, 1)).unwrap();
    let scaled = out.column(1).as_fixed_size_list();
    assert_eq!(scaled.value_length(), 3);
    let values = scaled.value(0);
    assert_eq!(
        values.as_primitive::<Float32Type>().values(),
        &[0.0, 1.0, -2.0]
    );
    // A list of another length is refused before anything runs.
    let short =
        FixedSizeListArray::from_iter_primitive::<Float32Type, _, _>([Some([Some(1.0)])], 1);
    let input = RecordBatch::try_from_iter([("embedding", column(short))]).unwrap();
    let err = Scale::new().map_batch(&input).unwrap_err();
    assert!(err.to_string().contains("FixedSizeList"), "{err}");
}

#[test]
fn a_failing_node_names_itself_and_the_row() {
    #[node(output = "parsed")]
    fn parse(text: &str) -> Result<u64, std::num::ParseIntError> {
        text.parse()
    }
    pipeline! { Parse = [parse] }
    let input =
        RecordBatch::try_from_iter([("text", column(StringArray::from(vec!["1", "x", "3"])))])
            .unwrap();
    let err = Parse::new()
        .with_engine(Sequential)
        .map_batch(&input)
        .unwrap_err();
    assert_eq!((err.node(), err.item()), ("parse", Some(1)));
}

#[test]
fn typed_items_come_out_of_a_batch_and_outputs_go_into_one() {
    let items = hypernodes::arrow::read_inputs::<Summary>(&batch()).unwrap();
    assert_eq!(items[2].tags, ["b", "c"]);
    assert_eq!(items[1].weight, None);
    let outputs = Summary::new().map(items).unwrap();
    let written = hypernodes::arrow::write_outputs::<Summary>(outputs);
    assert_eq!(written.schema(), Summary::output_schema());
    assert_eq!(written.num_rows(), 3);
    let empty = hypernodes::arrow::write_outputs::<Summary>(Vec::new());
    assert_eq!((empty.num_rows(), empty.num_columns()), (0, 2));
}

#[test]
fn nested_nulls_round_trip_through_a_batch() {
    type Words = Vec<Option<String>>;
    type Pair = [Option<f32>; 2];
    type Ids = Option<Vec<u64>>;
    #[node(output = ("words", "pair", "ids"))]
    fn nest(seed: u64) -> (Words, Pair, Ids) {
        let words = vec![Some(format!("w{seed}")), None];
        let ids = seed.is_multiple_of(2).then(|| vec![seed; seed as usize]);
        (words, [Some(seed as f32), None], ids)
    }
    #[node(output = "described")]
    fn describe(
        words: Vec<Option<String>>,
        pair: [Option<f32>; 2],
        ids: Option<Vec<u64>>,
    ) -> String {
        format!("{words:?} {pair:?} {ids:?}")
    }
    pipeline! { Nest = [nest] }
    pipeline! { Describe = [describe] }
    let outputs = Nest::new()
        .map((0..4).map(|seed| NestInputs { seed }))
        .unwrap();
    let batch = hypernodes::arrow::write_outputs::<Nest>(outputs);
    let out = Describe::new()
        .with_engine(Sequential)
        .map_batch(&batch)
        .unwrap();
    assert_eq!(
        strings(out.column(3)),
        [
            Some(r#"[Some("w0"), None] [Some(0.0), None] Some([])"#),
            Some(r#"[Some("w1"), None] [Some(1.0), None] None"#),
            Some(r#"[Some("w2"), None] [Some(2.0), None] Some([2, 2])"#),
            Some(r#"[Some("w3"), None] [Some(3.0), None] None"#),
        ]
    );
}
