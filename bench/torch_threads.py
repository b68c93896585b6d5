# Thread settings of the bench's PyTorch children: torch's intra-op pool and OpenBLAS's own pool, each checked once set.
import argparse
import ctypes
import os

import torch


def blas_libraries():
    """The BLAS libraries this process mapped (Debian's torch links libblas.so.3, chosen by update-alternatives)."""
    libs = set()
    with open('/proc/self/maps') as f:
        for line in f:
            path = line.split()[-1]
            if 'blas' in os.path.basename(path).lower() and path.startswith('/'):
                libs.add(os.path.realpath(path))
    return sorted(libs)


def blas_in_use():
    """torch's BLAS_INFO and the libraries it mapped."""
    info = [s for s in torch.__config__.show().replace(',', '\n').splitlines() if 'BLAS_INFO' in s]
    return {'config': info[0].strip() if info else 'unknown', 'libraries': blas_libraries()}


def openblas_threads():
    """The size of OpenBLAS's thread pool, or None where the BLAS torch loaded is not OpenBLAS."""
    for path in blas_libraries():
        try:
            return int(ctypes.CDLL(path).openblas_get_num_threads())
        except (OSError, AttributeError):
            continue
    return None


def openblas_core():
    """The kernel set OpenBLAS runs (e.g. 'Haswell'), or None where the BLAS torch loaded is not OpenBLAS."""
    for path in blas_libraries():
        try:
            f = ctypes.CDLL(path).openblas_get_corename
        except (OSError, AttributeError):
            continue
        f.restype = ctypes.c_char_p
        return f().decode()
    return None


def add_arguments(ap: argparse.ArgumentParser):
    ap.add_argument('--threads', type=int, default=1, help="torch's intra-op threads (the parent sets OMP_NUM_THREADS to the same)")
    ap.add_argument('--blas-threads', type=int, default=None,
                    help="OpenBLAS's threads, as the parent set OPENBLAS_NUM_THREADS; checked against the pool OpenBLAS started")


def apply(a):
    """Sets torch's threads and checks OpenBLAS's pool; returns both as this process runs them."""
    torch.set_num_threads(a.threads)
    torch.set_num_interop_threads(1)
    # OpenBLAS sizes its pool from OPENBLAS_NUM_THREADS when torch loads it (torch.set_num_threads does not reach it),
    # so only the environment the parent gave can set it; a mismatch would time another setting than the one named
    torch.mm(torch.ones(8, 8), torch.ones(8, 8))
    blas = openblas_threads()
    if a.blas_threads is not None and blas is not None and blas != a.blas_threads:
        raise SystemExit(f'OpenBLAS runs {blas} threads where {a.blas_threads} were asked: '
                         f'OPENBLAS_NUM_THREADS is {os.environ.get("OPENBLAS_NUM_THREADS", "unset")} in this process')
    core = openblas_core()
    asked = os.environ.get('OPENBLAS_CORETYPE')
    if asked and core is not None and core.lower() != asked.lower():
        raise SystemExit(f'OpenBLAS runs its {core} kernels where OPENBLAS_CORETYPE asked for {asked}')
    return {'threads': torch.get_num_threads(), 'blas_threads': blas, 'blas_core': core}
