//! TEST DOUBLE: a shared library that exports only `agora_service_create` and `agora_service_release`
//! of Agora's native C API, so tests can prove the binding reports the first missing symbol by name
//! instead of crashing. It never does anything: the binding must refuse it before calling in.

use std::ffi::{c_int, c_void};

/// Always NULL: no service is ever created by this library.
#[no_mangle]
extern "C" fn agora_service_create() -> *mut c_void {
    std::ptr::null_mut()
}

/// Always -1, Agora's answer for a NULL handle.
#[no_mangle]
extern "C" fn agora_service_release(_svc: *mut c_void) -> c_int {
    -1
}
