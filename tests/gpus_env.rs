//! `gpus` reads `CUDA_VISIBLE_DEVICES` (a file of its own: it sets a process-wide variable).

use hypernodes::{node, pipeline, BoxError, ErrorKind, Parallel, Stateful, WorkerContext};

pub struct Encoder {
    devices: Vec<u32>,
}

impl Stateful for Encoder {
    fn create(ctx: &WorkerContext) -> Result<Self, BoxError> {
        Ok(Encoder {
            devices: ctx.devices().to_vec(),
        })
    }
}

#[node(stateful(encoder), config(gpus = 1))]
fn device(text: String, encoder: &Encoder) -> u32 {
    let _ = text;
    std::thread::sleep(std::time::Duration::from_micros(200));
    encoder.devices[0]
}

pipeline! { Encode = [device] }

#[test]
fn devices_come_from_cuda_visible_devices() {
    let items = || {
        (0..200).map(|i| EncodeInputs {
            text: i.to_string(),
        })
    };
    std::env::set_var("CUDA_VISIBLE_DEVICES", "3,5");
    let p = Encode::new();
    let engine = || Parallel::new().threads(4).batch_size(4);
    let plan = p.with_engine(engine()).plan();
    assert_eq!(plan.stateful[0].layout.devices, [vec![0], vec![1]]);
    let outs = p.with_engine(engine()).map(items()).unwrap();
    assert!(outs.iter().all(|o| o.device < 2));
    assert!(p
        .with_engine(engine())
        .plan()
        .to_string()
        .contains("CUDA_VISIBLE_DEVICES=\"3,5\""));

    std::env::set_var("CUDA_VISIBLE_DEVICES", "");
    let err = p.with_engine(engine()).map(items()).unwrap_err();
    assert!(matches!(err.kind(), ErrorKind::Config(_)));
    assert_eq!(err.node(), "device");
    assert!(err.to_string().contains("devices visible are 0"), "{err}");
    let err = p.run(EncodeInputs { text: "x".into() }).unwrap_err();
    assert!(
        matches!(err.kind(), ErrorKind::Config(_)),
        "run checks devices too"
    );
}
