use hypernodes::{node, BoxError, Stateful, WorkerContext};

pub struct Session;
impl Stateful for Session {
    fn create(_: &WorkerContext) -> Result<Self, BoxError> {
        Ok(Session)
    }
}

#[node]
async fn fetch(url: String, session: &mut Session) -> String {
    let _ = session;
    url
}

fn main() {}
