//! Received messages waiting for the application, and the `Messages` stream / iterator that
//! takes them.
//!
//! Back-pressure, never loss: each message keeps its C event unreleased until the application
//! takes it. The library counts unreleased messages against `Options::max_buffered_messages` /
//! `max_buffered_bytes` and stops reading from the connection at the bound, so a consumer that
//! stalls makes the broker hold the rest (its QoS 1/2 send window is full of unacknowledged
//! messages; TCP holds QoS 0). Taking a message releases its event, which acknowledges it
//! (PUBACK / PUBREC, in arrival order) unless manual acknowledgement is on.

use crate::client::Handle;
use crate::completion::lock;
use crate::message::Message;
use ouzel_sys as sys;
use std::collections::VecDeque;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Waker};
use std::time::Duration;

/// A copied message with the event that still holds its place (and its acknowledgement).
pub(crate) struct Held {
    pub(crate) message: Message,
    pub(crate) event: sys::ouzel_event,
}

// SAFETY: the event's pointers refer to library memory that stays valid until the event is
// released (events.h, "Ownership"), and releasing is thread-safe; we never read through them
// after copying the message.
unsafe impl Send for Held {}

#[derive(Default)]
struct State {
    items: VecDeque<Held>,
    wakers: Vec<(u64, Waker)>,
    /// The application disconnected and nothing is left: streams end until the next connect.
    ended: bool,
    /// The client is closed: streams end for good.
    closed: bool,
}

#[derive(Default)]
pub(crate) struct Inbox {
    state: Mutex<State>,
    next_id: AtomicU64,
}

impl Inbox {
    pub(crate) fn push(&self, batch: Vec<Held>) {
        if batch.is_empty() {
            return;
        }
        let wakers = {
            let mut s = lock(&self.state);
            s.items.extend(batch);
            std::mem::take(&mut s.wakers)
        };
        for (_, w) in wakers {
            w.wake();
        }
    }

    /// Marks the stream ended (after an application disconnect) or running again (connect).
    pub(crate) fn set_ended(&self, ended: bool) {
        let wakers = {
            let mut s = lock(&self.state);
            s.ended = ended;
            if ended {
                std::mem::take(&mut s.wakers)
            } else {
                Vec::new()
            }
        };
        for (_, w) in wakers {
            w.wake();
        }
    }

    pub(crate) fn len(&self) -> usize {
        lock(&self.state).items.len()
    }

    fn new_id(&self) -> u64 {
        self.next_id.fetch_add(1, Ordering::Relaxed)
    }

    fn poll_take(&self, id: u64, cx: &mut Context<'_>) -> Poll<Option<Held>> {
        let mut s = lock(&self.state);
        if let Some(h) = s.items.pop_front() {
            return Poll::Ready(Some(h));
        }
        if s.ended || s.closed {
            return Poll::Ready(None);
        }
        match s.wakers.iter_mut().find(|(i, _)| *i == id) {
            Some((_, w)) => {
                if !w.will_wake(cx.waker()) {
                    *w = cx.waker().clone();
                }
            }
            None => s.wakers.push((id, cx.waker().clone())),
        }
        Poll::Pending
    }

    fn try_take(&self) -> Option<Held> {
        lock(&self.state).items.pop_front()
    }

    fn forget_waker(&self, id: u64) {
        lock(&self.state).wakers.retain(|(i, _)| *i != id);
    }

    /// Ends every stream for good and drops what is left without releasing it: the client is
    /// being freed, which frees the events itself.
    pub(crate) fn close(&self) {
        let wakers = {
            let mut s = lock(&self.state);
            s.items.clear();
            s.closed = true;
            std::mem::take(&mut s.wakers)
        };
        for (_, w) in wakers {
            w.wake();
        }
    }
}

/// The client's received messages, in arrival order: a [`futures_core::Stream`] for async code,
/// and a blocking [`Iterator`] through `into_iter()` (or `for msg in messages`) for threads.
///
/// Each message goes to exactly one taker, however many `Messages` exist. The stream ends
/// (`None`) once the application has disconnected (`Client::disconnect`) and every message
/// received before is taken (it runs again after the next `connect`), and for good once the
/// client is closed. A `Messages` keeps its client alive.
pub struct Messages {
    handle: Arc<Handle>,
    id: u64,
}

impl Messages {
    pub(crate) fn new(handle: Arc<Handle>) -> Messages {
        let id = handle.core.inbox.new_id();
        Messages { handle, id }
    }

    fn deliver(&self, mut held: Held) -> Message {
        self.handle.core.release_message(&mut held.event);
        held.message
    }

    /// The next message, without waiting.
    pub fn try_next(&mut self) -> Option<Message> {
        let held = self.handle.core.inbox.try_take()?;
        Some(self.deliver(held))
    }

    /// Waits up to `timeout` for the next message; `None` when none came (or the stream ended).
    pub fn next_timeout(&mut self, timeout: Duration) -> Option<Message> {
        crate::block_on::block_on_timeout(
            std::future::poll_fn(|cx| self.poll_message(cx)),
            Some(timeout),
        )
        .flatten()
    }

    /// The next message (async); `None` once the stream has ended.
    pub async fn recv(&mut self) -> Option<Message> {
        std::future::poll_fn(|cx| self.poll_message(cx)).await
    }

    fn poll_message(&mut self, cx: &mut Context<'_>) -> Poll<Option<Message>> {
        match self.handle.core.inbox.poll_take(self.id, cx) {
            Poll::Ready(Some(h)) => Poll::Ready(Some(self.deliver(h))),
            Poll::Ready(None) => Poll::Ready(None),
            Poll::Pending => Poll::Pending,
        }
    }
}

impl futures_core::Stream for Messages {
    type Item = Message;
    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Message>> {
        self.get_mut().poll_message(cx)
    }
}

impl IntoIterator for Messages {
    type Item = Message;
    type IntoIter = MessagesIter;
    /// A blocking iterator over the same messages.
    fn into_iter(self) -> MessagesIter {
        MessagesIter(self)
    }
}

/// [`Messages`] as a blocking [`Iterator`]: `next` waits for the next message and returns `None`
/// once the stream has ended.
#[derive(Debug)]
pub struct MessagesIter(Messages);

impl Iterator for MessagesIter {
    type Item = Message;
    fn next(&mut self) -> Option<Message> {
        let m = &mut self.0;
        crate::block_on::block_on(std::future::poll_fn(|cx| m.poll_message(cx)))
    }
}

impl Drop for Messages {
    fn drop(&mut self) {
        self.handle.core.inbox.forget_waker(self.id);
    }
}

impl std::fmt::Debug for Messages {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Messages").field("buffered", &self.handle.core.inbox.len()).finish()
    }
}
