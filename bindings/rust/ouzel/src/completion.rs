//! A one-shot result slot completed by the event thread and awaited by any executor (or by a
//! blocked thread through `block_on`). The waker is called after the lock is released, so no lock
//! of ours is held while an executor's wake-up code runs.

use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::task::{Context, Poll, Waker};

enum State<T> {
    Waiting(Option<Waker>),
    Done(T),
    Taken,
}

pub(crate) struct Completion<T> {
    state: Mutex<State<T>>,
}

pub(crate) fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    // Nothing we run under these locks can panic halfway through an update; a poisoned lock only
    // means another thread panicked elsewhere while holding it, and the state is still coherent.
    m.lock().unwrap_or_else(PoisonError::into_inner)
}

impl<T> Completion<T> {
    pub(crate) fn new() -> Arc<Completion<T>> {
        Arc::new(Completion { state: Mutex::new(State::Waiting(None)) })
    }

    /// Stores the result (the first one wins) and wakes the waiter.
    pub(crate) fn complete(&self, value: T) {
        let waker = {
            let mut state = lock(&self.state);
            match &mut *state {
                State::Waiting(w) => {
                    let w = w.take();
                    *state = State::Done(value);
                    w
                }
                _ => None,
            }
        };
        if let Some(w) = waker {
            w.wake();
        }
    }

    pub(crate) fn poll_take(&self, cx: &mut Context<'_>) -> Poll<T> {
        let mut state = lock(&self.state);
        match std::mem::replace(&mut *state, State::Taken) {
            State::Done(v) => Poll::Ready(v),
            State::Waiting(w) => {
                let w = match w {
                    Some(w) if w.will_wake(cx.waker()) => w,
                    _ => cx.waker().clone(),
                };
                *state = State::Waiting(Some(w));
                Poll::Pending
            }
            State::Taken => panic!("a completion was polled after it returned its result"),
        }
    }

    pub(crate) fn is_done(&self) -> bool {
        matches!(*lock(&self.state), State::Done(_))
    }
}

/// The future side of a completion.
pub(crate) struct Wait<T>(pub(crate) Arc<Completion<T>>);

impl<T> Future for Wait<T> {
    type Output = T;
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        self.0.poll_take(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::block_on::block_on_timeout;
    use std::time::Duration;

    #[test]
    fn a_result_completed_on_another_thread_reaches_the_waiter() {
        let c = Completion::new();
        let c2 = Arc::clone(&c);
        let t = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(20));
            c2.complete(7);
        });
        assert_eq!(block_on_timeout(Wait(c), Some(Duration::from_secs(5))), Some(7));
        t.join().unwrap();
    }

    #[test]
    fn the_first_result_wins() {
        let c = Completion::new();
        c.complete(1);
        c.complete(2);
        assert!(c.is_done());
        assert_eq!(block_on_timeout(Wait(c), Some(Duration::from_secs(1))), Some(1));
    }
}
