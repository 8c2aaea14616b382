//! The server's standard input and output: LSP base-protocol messages (`Content-Length` headers,
//! then a JSON body), read with bounds. `lsp-server`'s own reader allocates whatever length a
//! header claims (`Content-Length: 100000000000` aborted the process), so messages are read here:
//! a header line, the number of headers and the body are capped before anything is allocated. A
//! message over the cap is skipped (its body read into nothing) and answered with a JSON-RPC
//! error; a body that is not JSON-RPC is answered with a parse error; the session goes on.

use std::io::{self, BufRead, Read, Write};

use crossbeam_channel::Receiver;
use lsp_server::{Connection, Message};

/// The largest message body read: an editor's buffer of a file at the size cap, escaped as JSON,
/// with room to spare.
pub const MAX_MESSAGE: usize = 64 * 1024 * 1024;

/// The longest header line, and the most header lines of one message.
const MAX_HEADER_LINE: u64 = 8 * 1024;
const MAX_HEADERS: usize = 32;

/// JSON-RPC error codes.
const PARSE_ERROR: i32 = -32700;
const INVALID_REQUEST: i32 = -32600;

/// One read from the stream.
#[derive(Debug)]
pub enum Incoming {
    /// A message.
    Message(Message),
    /// Something was wrong with a message: answer with this error, then skip `skip` bytes of
    /// its body ([`skip_body`]) to reach the next message.
    Error {
        code: i32,
        message: String,
        skip: u64,
    },
    /// The stream ended.
    End,
}

/// Reads the next message, with at most `max` bytes of body. Errors of the stream itself (not of
/// the message) are `Err`.
pub fn read_message(r: &mut impl BufRead, max: usize) -> io::Result<Incoming> {
    let mut length: Option<u64> = None;
    let mut bad_length = false;
    let mut headers = 0;
    loop {
        let mut line = Vec::new();
        let n = r
            .by_ref()
            .take(MAX_HEADER_LINE)
            .read_until(b'\n', &mut line)?;
        if n == 0 {
            return Ok(Incoming::End);
        }
        if !line.ends_with(b"\n") {
            // a header line over the cap: skip to its end
            skip_line(r)?;
            return Ok(error(INVALID_REQUEST, "a header line is too long".into()));
        }
        let text = String::from_utf8_lossy(&line);
        let text = text.trim_end_matches(['\r', '\n']);
        if text.is_empty() {
            if headers == 0 {
                continue; // stray blank lines between messages
            }
            break;
        }
        headers += 1;
        if headers > MAX_HEADERS {
            return Ok(error(INVALID_REQUEST, "too many header lines".into()));
        }
        if let Some((name, value)) = text.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                match value.trim().parse::<u64>() {
                    Ok(n) => length = Some(n),
                    Err(_) => bad_length = true,
                }
            }
        }
    }
    let Some(length) = length.filter(|_| !bad_length) else {
        return Ok(error(
            INVALID_REQUEST,
            "a message without a valid Content-Length header".into(),
        ));
    };
    if length > max as u64 {
        return Ok(Incoming::Error {
            code: INVALID_REQUEST,
            message: format!(
                "a message of {length} bytes is over keyless's cap of {max} bytes; it was skipped"
            ),
            skip: length,
        });
    }
    let mut body = Vec::new();
    r.by_ref().take(length).read_to_end(&mut body)?;
    if (body.len() as u64) < length {
        return Ok(Incoming::End);
    }
    match serde_json::from_slice::<Message>(&body) {
        Ok(m) => Ok(Incoming::Message(m)),
        Err(e) => Ok(error(
            PARSE_ERROR,
            format!("a message that is not JSON-RPC: {e}"),
        )),
    }
}

fn error(code: i32, message: String) -> Incoming {
    Incoming::Error {
        code,
        message,
        skip: 0,
    }
}

/// Reads `n` bytes into nothing (the body of a message over the cap), so the next message is
/// found where it starts; memory stays bounded whatever `n` is.
pub fn skip_body(r: &mut impl BufRead, n: u64) -> io::Result<()> {
    io::copy(&mut r.by_ref().take(n), &mut io::sink()).map(|_| ())
}

/// Skips the rest of a line, reading in bounded pieces.
fn skip_line(r: &mut impl BufRead) -> io::Result<()> {
    loop {
        let buf = r.fill_buf()?;
        if buf.is_empty() {
            return Ok(());
        }
        if let Some(i) = buf.iter().position(|b| *b == b'\n') {
            r.consume(i + 1);
            return Ok(());
        }
        let n = buf.len();
        r.consume(n);
    }
}

/// A JSON-RPC error response without an id (the request could not be read), framed.
pub fn error_frame(code: i32, message: &str) -> Vec<u8> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": message }
    })
    .to_string();
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

/// The reader and writer threads of a standard input/output connection.
pub struct IoThreads {
    reader: std::thread::JoinHandle<io::Result<()>>,
    writer: std::thread::JoinHandle<io::Result<()>>,
}

/// Why the connection's threads ended badly ([`IoThreads::join`]).
#[derive(Debug, thiserror::Error)]
pub enum JoinError {
    #[error("the reader failed")]
    ReaderPanicked,
    #[error("the writer failed")]
    WriterPanicked,
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl IoThreads {
    pub fn join(self) -> Result<(), JoinError> {
        let reader = self.reader.join().map_err(|_| JoinError::ReaderPanicked)?;
        let writer = self.writer.join().map_err(|_| JoinError::WriterPanicked)?;
        Ok(reader.and(writer)?)
    }
}

/// A connection over standard input and output with bounded reads.
pub fn stdio() -> (Connection, IoThreads) {
    let (to_server, from_client) = crossbeam_channel::bounded::<Message>(0);
    let (to_client, outgoing) = crossbeam_channel::bounded::<Message>(0);
    let (errors_tx, errors) = crossbeam_channel::unbounded::<Vec<u8>>();
    let writer = std::thread::spawn(move || write_loop(&outgoing, &errors));
    let reader = std::thread::spawn(move || {
        let stdin = io::stdin();
        let mut input = stdin.lock();
        loop {
            match read_message(&mut input, MAX_MESSAGE)? {
                Incoming::End => return Ok(()),
                Incoming::Error {
                    code,
                    message,
                    skip,
                } => {
                    // answered first: the client may wait for the answer before sending more
                    let _ = errors_tx.send(error_frame(code, &message));
                    skip_body(&mut input, skip)?;
                }
                Incoming::Message(m) => {
                    let exit = matches!(&m, Message::Notification(n) if n.method == "exit");
                    if to_server.send(m).is_err() || exit {
                        return Ok(());
                    }
                }
            }
        }
    });
    (
        Connection {
            sender: to_client,
            receiver: from_client,
        },
        IoThreads { reader, writer },
    )
}

/// Writes the server's messages and the reader's protocol errors to standard output until the
/// server drops its sender.
fn write_loop(outgoing: &Receiver<Message>, errors: &Receiver<Vec<u8>>) -> io::Result<()> {
    let stdout = io::stdout();
    loop {
        crossbeam_channel::select! {
            recv(outgoing) -> m => match m {
                Ok(m) => {
                    let mut out = stdout.lock();
                    m.write(&mut out)?;
                    out.flush()?;
                }
                Err(_) => {
                    let mut out = stdout.lock();
                    for frame in errors.try_iter() {
                        out.write_all(&frame)?;
                    }
                    return out.flush();
                }
            },
            recv(errors) -> e => {
                if let Ok(frame) = e {
                    let mut out = stdout.lock();
                    out.write_all(&frame)?;
                    out.flush()?;
                }
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn a_length_over_the_cap_is_skipped_and_the_next_message_read() {
        let body = "x".repeat(100);
        let next = r#"{"jsonrpc":"2.0","method":"exit"}"#;
        let input = format!("Content-Length: 100\r\n\r\n{body}{}", frame(next));
        let mut r = io::Cursor::new(input.into_bytes());
        match read_message(&mut r, 50).unwrap() {
            Incoming::Error {
                code,
                message,
                skip,
            } => {
                assert_eq!(code, INVALID_REQUEST);
                assert!(message.contains("over keyless's cap"), "{message}");
                skip_body(&mut r, skip).unwrap();
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            read_message(&mut r, 50).unwrap(),
            Incoming::Message(Message::Notification(_))
        ));
        assert!(matches!(read_message(&mut r, 50).unwrap(), Incoming::End));
    }

    #[test]
    fn a_huge_length_allocates_nothing() {
        let input = b"Content-Length: 100000000000\r\n\r\n{}".to_vec();
        let mut r = io::Cursor::new(input);
        assert!(matches!(
            read_message(&mut r, MAX_MESSAGE).unwrap(),
            Incoming::Error { .. }
        ));
    }

    #[test]
    fn bodies_that_are_not_json_rpc_are_parse_errors() {
        let mut r = io::Cursor::new(frame("{not json").into_bytes());
        assert!(matches!(
            read_message(&mut r, MAX_MESSAGE).unwrap(),
            Incoming::Error {
                code: PARSE_ERROR,
                ..
            }
        ));
        let mut r = io::Cursor::new(b"Content-Length: x\r\n\r\n".to_vec());
        assert!(matches!(
            read_message(&mut r, MAX_MESSAGE).unwrap(),
            Incoming::Error { .. }
        ));
    }
}
