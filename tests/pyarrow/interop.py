"""Both sides of tests/pyarrow.rs: pyarrow writes the input dataset, then reads back what
hypernodes wrote and prints what it found as JSON. The format is `parquet` or `ipc` (Arrow
IPC files as pyarrow's Feather v2 writer makes them: LZ4-compressed by default)."""
import json
import sys

import pyarrow as pa
import pyarrow.dataset as ds
import pyarrow.feather as feather
import pyarrow.parquet as pq


def write(path, format):
    n = 1000
    table = pa.table(
        {
            "id": pa.array(range(n), pa.int32()),
            "text": pa.array([f"row {i}" for i in range(n)], pa.large_string()),
            "label": pa.array([None if i % 10 == 3 else f"l{i % 7}" for i in range(n)], pa.string()),
            "weights": pa.array([[float(i), 0.5, -1.0, 2.0] for i in range(n)], pa.list_(pa.float32(), 4)),
            "tags": pa.array([[i, i + 1] if i % 2 else [] for i in range(n)], pa.list_(pa.int64())),
        }
    )
    if format == "parquet":
        pq.write_table(table, path, row_group_size=300)
    else:
        feather.write_feather(table, path, chunksize=300)


def read(directory, format):
    # Both skip the `_errors` directory: names starting with `_` are not data.
    table = ds.dataset(directory, format="parquet" if format == "parquet" else "ipc").to_table()
    table = table.sort_by("id")
    found = {
        "rows": table.num_rows,
        "schema": {field.name: str(field.type) for field in table.schema},
        "nullable": {field.name: field.nullable for field in table.schema},
        "first": {name: table.column(name)[0].as_py() for name in table.column_names},
        "summary_nulls": table.column("summary").null_count,
    }
    print(json.dumps(found))


if __name__ == "__main__":
    {"write": write, "read": read}[sys.argv[1]](sys.argv[2], sys.argv[3])
