//! The receiver's two per-request calls (`checkJoined`, `receiveLayout`) as Node-API callbacks
//! written directly, bound to their receiver as the functions' data. napi-rs's generated glue
//! opens a borrow-tracking scope on every call (a mutex-guarded map, an `Arc`, several
//! allocations) and checks the class of `this`: about 0.3 µs per call under load, as much as
//! the policy check itself, and a receiver makes two calls per request. These read their
//! arguments with Node-API as the glue would (a string, a Uint8Array, a Uint32Array), in one
//! pass where they can, and answer exactly what the `Receiver` methods answer.

use std::cell::RefCell;
use std::ffi::{c_char, c_void};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::ptr;
use std::sync::Arc;

use napi::sys;
use primevox_webhooks::ffi::js;
use primevox_webhooks::receiver::Receiver;

use crate::panic_message;
use crate::parse::with_layout;

type Env = sys::napi_env;
type Value = sys::napi_value;

/// A call that failed: thrown as a `TypeError` (an argument of the wrong type) or an `Error`.
enum Thrown {
    Type(&'static str),
    Error(String),
}

type Answer = Result<Value, Thrown>;

fn ok(status: sys::napi_status) -> Result<(), Thrown> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(Thrown::Error(format!(
            "Node-API call failed (status {status})"
        )))
    }
}

thread_local! {
    // The UTF-8 text of the string arguments, reused from call to call.
    static TEXT: RefCell<[Vec<u8>; 3]> = RefCell::default();
}

/// A JavaScript string's UTF-8 text into `buf`. One pass when it fits: Node-API stops before a
/// character that does not fit and a character is at most 4 bytes, so a write that ended more
/// than 4 bytes short of the room holds the whole string; else the length is asked for first.
unsafe fn utf8_of(env: Env, v: Value, buf: &mut Vec<u8>) -> Result<&str, Thrown> {
    if buf.capacity() < 512 {
        buf.reserve(512);
    }
    let mut room = buf.capacity();
    let mut len = 0usize;
    let status =
        sys::napi_get_value_string_utf8(env, v, buf.as_mut_ptr().cast::<c_char>(), room, &mut len);
    if status == sys::Status::napi_string_expected {
        return Err(Thrown::Type("a string was expected"));
    }
    ok(status)?;
    if len + 4 >= room - 1 {
        ok(sys::napi_get_value_string_utf8(
            env,
            v,
            ptr::null_mut(),
            0,
            &mut len,
        ))?;
        buf.clear();
        buf.reserve(len + 1);
        room = buf.capacity();
        ok(sys::napi_get_value_string_utf8(
            env,
            v,
            buf.as_mut_ptr().cast::<c_char>(),
            room,
            &mut len,
        ))?;
    }
    // SAFETY: Node-API wrote `len` bytes (and a NUL after them) into the buffer's room.
    buf.set_len(len);
    // Node-API writes well-formed UTF-8 (lone surrogates replaced): checked all the same.
    std::str::from_utf8(buf).map_err(|_| Thrown::Error("invalid UTF-8 from Node-API".to_owned()))
}

/// `undefined`/`null` as `None`, a string as its text (the glue's `Option<String>`).
unsafe fn opt_utf8_of(env: Env, v: Value, buf: &mut Vec<u8>) -> Result<Option<&str>, Thrown> {
    let mut t = 0;
    ok(sys::napi_typeof(env, v, &mut t))?;
    match t {
        sys::ValueType::napi_undefined | sys::ValueType::napi_null => Ok(None),
        _ => utf8_of(env, v, buf).map(Some),
    }
}

/// The elements of a typed array of the given type (`Uint8Array` / `Buffer`, `Uint32Array`).
unsafe fn typed_array<'a, T>(
    env: Env,
    v: Value,
    want: sys::napi_typedarray_type,
    what: &'static str,
) -> Result<&'a mut [T], Thrown> {
    let (mut kind, mut length, mut data, mut buffer, mut offset) =
        (0, 0usize, ptr::null_mut(), ptr::null_mut(), 0usize);
    let status = sys::napi_get_typedarray_info(
        env,
        v,
        &mut kind,
        &mut length,
        &mut data,
        &mut buffer,
        &mut offset,
    );
    if status != sys::Status::napi_ok || kind != want {
        return Err(Thrown::Type(what));
    }
    Ok(if length == 0 || data.is_null() {
        &mut []
    } else {
        // SAFETY: Node-API gives the first element (offset applied) and the element count; the
        // JavaScript layer does not touch the array while this synchronous call runs.
        std::slice::from_raw_parts_mut(data.cast::<T>(), length)
    })
}

unsafe fn string_utf8(env: Env, s: &str) -> Answer {
    let mut v = ptr::null_mut();
    ok(sys::napi_create_string_utf8(
        env,
        s.as_ptr().cast::<c_char>(),
        s.len() as isize,
        &mut v,
    ))?;
    Ok(v)
}

/// The arguments and the receiver (the function's data) of a call.
unsafe fn call_info<const N: usize>(
    env: Env,
    info: sys::napi_callback_info,
) -> Result<([Value; N], &'static Receiver), Thrown> {
    let mut args = [ptr::null_mut(); N];
    let mut argc = N;
    let mut data: *mut c_void = ptr::null_mut();
    ok(sys::napi_get_cb_info(
        env,
        info,
        &mut argc,
        args.as_mut_ptr(),
        ptr::null_mut(),
        &mut data,
    ))?;
    if argc < N {
        // Missing arguments read as undefined, as in JavaScript.
        let mut undef = ptr::null_mut();
        ok(sys::napi_get_undefined(env, &mut undef))?;
        for a in &mut args[argc..] {
            *a = undef;
        }
    }
    // SAFETY: `data` is the `Arc<Receiver>` the function was made with; the function's
    // finalizer, which frees it, cannot run while the function is being called.
    Ok((args, &**data.cast::<Arc<Receiver>>()))
}

/// Runs a call: its value, or its failure thrown (a panic included).
unsafe fn run(env: Env, f: impl FnOnce() -> Answer) -> Value {
    let failed = match catch_unwind(AssertUnwindSafe(f)) {
        Ok(Ok(v)) => return v,
        Ok(Err(t)) => t,
        Err(p) => Thrown::Error(panic_message(p)),
    };
    let mut pending = false;
    sys::napi_is_exception_pending(env, &mut pending);
    if !pending {
        let (msg, type_error) = match failed {
            Thrown::Type(m) => (m.to_owned(), true),
            Thrown::Error(m) => (m, false),
        };
        let msg = std::ffi::CString::new(msg.replace('\0', " ")).unwrap_or_default();
        if type_error {
            sys::napi_throw_type_error(env, ptr::null(), msg.as_ptr());
        } else {
            sys::napi_throw_error(env, ptr::null(), msg.as_ptr());
        }
    }
    ptr::null_mut()
}

/// `checkJoined(request, pairs?)`: `Receiver.checkJoined`; with `pairs` (a number: the request's
/// headers), null for a request with more parts than that (`js::check_joined_counted`).
unsafe extern "C" fn check_joined(env: Env, info: sys::napi_callback_info) -> Value {
    run(env, || {
        let ([request, pairs], receiver) = call_info::<2>(env, info)?;
        let mut t = 0;
        ok(sys::napi_typeof(env, pairs, &mut t))?;
        let pairs = if t == sys::ValueType::napi_number {
            let mut n = 0u32;
            ok(sys::napi_get_value_uint32(env, pairs, &mut n))?;
            Some(n as usize)
        } else {
            None
        };
        TEXT.with(|text| {
            let text = &mut *text.borrow_mut();
            let request = utf8_of(env, request, &mut text[0])?;
            match pairs {
                None => string_utf8(env, &js::check_joined(receiver, request)),
                Some(pairs) => match js::check_joined_counted(receiver, request, pairs) {
                    Some(check) => string_utf8(env, &js::verdict(&check)),
                    None => {
                        let mut null = ptr::null_mut();
                        ok(sys::napi_get_null(env, &mut null))?;
                        Ok(null)
                    }
                },
            }
        })
    })
}

/// `receiveLayout(body, contentType, contentEncoding, table)`: `Receiver.receiveLayout`.
unsafe extern "C" fn receive_layout(env: Env, info: sys::napi_callback_info) -> Value {
    run(env, || {
        let ([body, ct, ce, table], receiver) = call_info::<4>(env, info)?;
        let body: &[u8] = typed_array(
            env,
            body,
            sys::TypedarrayType::uint8_array,
            "body: a Uint8Array was expected",
        )?;
        let table: &mut [u32] = typed_array(
            env,
            table,
            sys::TypedarrayType::uint32_array,
            "table: a Uint32Array was expected",
        )?;
        TEXT.with(|text| {
            let [_, ct_buf, ce_buf] = &mut *text.borrow_mut();
            let ct = opt_utf8_of(env, ct, ct_buf)?;
            let ce = opt_utf8_of(env, ce, ce_buf)?;
            let laid = js::receive_event(receiver, body, ct, ce, |event| {
                with_layout(
                    |values, scratch| js::write_layout_to(event, values, scratch),
                    |values, layout| {
                        let Some(dst) = table.get_mut(..layout.len()) else {
                            return Err(Thrown::Error(
                                "layout table smaller than layoutCapacity(body length)".to_owned(),
                            ));
                        };
                        dst.copy_from_slice(layout);
                        let mut v = ptr::null_mut();
                        // The values as a copy of ASCII bytes or UTF-16 units (see parse.rs).
                        ok(match values.text() {
                            Ok(ascii) => sys::napi_create_string_latin1(
                                env,
                                ascii.as_ptr().cast::<c_char>(),
                                ascii.len() as isize,
                                &mut v,
                            ),
                            Err(utf16) => sys::napi_create_string_utf16(
                                env,
                                utf16.as_ptr(),
                                utf16.len() as isize,
                                &mut v,
                            ),
                        })?;
                        Ok(v)
                    },
                )
            });
            match laid {
                Ok(values) => values,
                Err(answer) => {
                    // `{answer}`, as the method's `Refused` object.
                    let mut o = ptr::null_mut();
                    ok(sys::napi_create_object(env, &mut o))?;
                    let a = string_utf8(env, &answer)?;
                    ok(sys::napi_set_named_property(env, o, c"answer".as_ptr(), a))?;
                    Ok(o)
                }
            }
        })
    })
}

unsafe extern "C" fn release(_env: Env, data: *mut c_void, _hint: *mut c_void) {
    drop(Box::from_raw(data.cast::<Arc<Receiver>>()));
}

/// `[checkJoined, receiveLayout]` bound to `receiver`: each function holds a reference to it,
/// dropped when the function is collected.
pub(crate) fn calls(env: Env, receiver: &Arc<Receiver>) -> napi::Result<Value> {
    let fail =
        |what: &str| napi::Error::new(napi::Status::GenericFailure, format!("directCalls: {what}"));
    let fns: [(
        &std::ffi::CStr,
        unsafe extern "C" fn(Env, sys::napi_callback_info) -> Value,
    ); 2] = [
        (c"checkJoined", check_joined),
        (c"receiveLayout", receive_layout),
    ];
    unsafe {
        let mut out = ptr::null_mut();
        if sys::napi_create_array_with_length(env, fns.len(), &mut out) != sys::Status::napi_ok {
            return Err(fail("array"));
        }
        for (i, (name, cb)) in fns.into_iter().enumerate() {
            let data = Box::into_raw(Box::new(Arc::clone(receiver))).cast::<c_void>();
            let mut f = ptr::null_mut();
            if sys::napi_create_function(
                env,
                name.as_ptr(),
                name.count_bytes() as isize,
                Some(cb),
                data,
                &mut f,
            ) != sys::Status::napi_ok
                || sys::napi_wrap(
                    env,
                    f,
                    data,
                    Some(release),
                    ptr::null_mut(),
                    ptr::null_mut(),
                ) != sys::Status::napi_ok
            {
                release(env, data, ptr::null_mut());
                return Err(fail("function"));
            }
            if sys::napi_set_element(env, out, i as u32, f) != sys::Status::napi_ok {
                return Err(fail("array element"));
            }
        }
        Ok(out)
    }
}
