//! compat's `Read`, `BufRead` and `Write` for std's in-memory readers and
//! writers, as std implements its own: these never wait, so each poll is
//! std's call, ready at once.

use core::task::{Context, Poll};
use std::collections::VecDeque;
use std::io::{self, Cursor, Empty, Repeat, Sink};

use super::{BufRead, Read, Write};

/// Implements [`Read`] by std's `Read`.
macro_rules! read_by_std {
    ($(impl$([$($generics:tt)*])? for $reader:ty;)*) => {$(
        impl$(<$($generics)*>)? Read for $reader {
            #[inline]
            fn poll_read(&mut self, _: &mut Context<'_>, buf: &mut [u8]) -> Poll<io::Result<usize>> {
                Poll::Ready(io::Read::read(self, buf))
            }
        }
    )*};
}

/// Implements [`BufRead`] by std's `BufRead`.
macro_rules! buf_read_by_std {
    ($(impl$([$($generics:tt)*])? for $reader:ty;)*) => {$(
        impl$(<$($generics)*>)? BufRead for $reader {
            #[inline]
            fn poll_fill_buf(&mut self, _: &mut Context<'_>) -> Poll<io::Result<&[u8]>> {
                Poll::Ready(io::BufRead::fill_buf(self))
            }

            #[inline]
            fn consume(&mut self, amt: usize) {
                io::BufRead::consume(self, amt);
            }
        }
    )*};
}

/// Implements [`Write`] by std's `Write`.
macro_rules! write_by_std {
    ($(impl$([$($generics:tt)*])? for $writer:ty;)*) => {$(
        impl$(<$($generics)*>)? Write for $writer {
            #[inline]
            fn poll_write(&mut self, _: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
                Poll::Ready(io::Write::write(self, buf))
            }

            #[inline]
            fn poll_flush(&mut self, _: &mut Context<'_>) -> Poll<io::Result<()>> {
                Poll::Ready(io::Write::flush(self))
            }
        }
    )*};
}

read_by_std! {
    impl for &[u8];
    impl[T: AsRef<[u8]>] for Cursor<T>;
    impl for VecDeque<u8>;
    impl for Empty;
    impl for Repeat;
}

buf_read_by_std! {
    impl for &[u8];
    impl[T: AsRef<[u8]>] for Cursor<T>;
    impl for Empty;
}

write_by_std! {
    impl for Vec<u8>;
    impl for VecDeque<u8>;
    impl for &mut [u8];
    impl for Cursor<Vec<u8>>;
    impl for Cursor<&mut Vec<u8>>;
    impl for Cursor<&mut [u8]>;
    impl for Cursor<Box<[u8]>>;
    impl[const N: usize] for Cursor<[u8; N]>;
    impl for Sink;
    impl for Empty;
}
