// A small pool of worker threads for the decode-step kernels, which split a product of 30–100 µs
// across cores ~210 times a token: handing a chunk to a blocked thread (a futex wake, as GCD's
// dispatch_apply does) costs tens of µs, about as much as the chunk. Workers here spin on a shared
// word for a short while after each job (a hand-off then costs well under a µs) and block on a
// condition variable when no job comes, so an idle process burns no CPU.
//
// One job at a time: `cqk_pool_run` from a second thread, or from inside a task, runs its chunks
// on the calling thread. Chunks are claimed one at a time from a packed atomic word (job number,
// chunk count, next chunk), so a worker that wakes late can never claim a chunk of a later job,
// and the job's function and context are read only after a successful claim, while the caller is
// still waiting for that chunk.
#include "CQuantKernels.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>
#if defined(__x86_64__)
#include <immintrin.h>
#define CQK_PAUSE() _mm_pause()
#else
#define CQK_PAUSE() ((void)0)
#endif

enum { MAX_WORKERS = 63, MAX_CHUNKS = 0xFFFF };

static pthread_mutex_t sleep_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t wake_up = PTHREAD_COND_INITIALIZER;
static pthread_mutex_t submit_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t start_lock = PTHREAD_MUTEX_INITIALIZER;

/// (job number << 32) | (chunk count << 16) | next unclaimed chunk.
static _Atomic uint64_t job_state;
static _Atomic int64_t chunks_finished;
static _Atomic int sleeping_workers;
static _Atomic int64_t spin_nanoseconds = 200000;
static int started_workers;
static cqk_pool_task job_task;
static void *job_context;
static _Thread_local int inside_task;

static int64_t now_nanoseconds(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/// Claims the next chunk of job `job`, or returns -1 when it has none left (or a later job started).
static int64_t claim(uint32_t job) {
    uint64_t state = atomic_load_explicit(&job_state, memory_order_acquire);
    for (;;) {
        uint32_t count = (uint32_t)(state >> 16) & 0xFFFF, next = (uint32_t)state & 0xFFFF;
        if ((uint32_t)(state >> 32) != job || next >= count) return -1;
        if (atomic_compare_exchange_weak_explicit(&job_state, &state, state + 1,
                                                  memory_order_acq_rel, memory_order_acquire)) {
            return next;
        }
    }
}

/// Runs chunks of job `job` until none is left.
static void work_on(uint32_t job) {
    int64_t chunk;
    while ((chunk = claim(job)) >= 0) {
        inside_task = 1;
        job_task(job_context, chunk);
        inside_task = 0;
        atomic_fetch_add_explicit(&chunks_finished, 1, memory_order_release);
    }
}

static void *worker_main(void *unused) {
    (void)unused;
    uint32_t seen = (uint32_t)(atomic_load(&job_state) >> 32);
    for (;;) {
        int64_t spin_until = now_nanoseconds() + atomic_load_explicit(&spin_nanoseconds, memory_order_relaxed);
        uint32_t job;
        int polls = 0;
        while ((job = (uint32_t)(atomic_load_explicit(&job_state, memory_order_acquire) >> 32)) == seen) {
            CQK_PAUSE();
            if (++polls % 64 == 0 && now_nanoseconds() > spin_until) {
                pthread_mutex_lock(&sleep_lock);
                atomic_fetch_add(&sleeping_workers, 1);
                while ((job = (uint32_t)(atomic_load(&job_state) >> 32)) == seen) {
                    pthread_cond_wait(&wake_up, &sleep_lock);
                }
                atomic_fetch_sub(&sleeping_workers, 1);
                pthread_mutex_unlock(&sleep_lock);
                break;
            }
        }
        seen = job;
        work_on(job);
    }
    return NULL;
}

/// Starts workers until `count` run (never stops any: extra ones only claim chunks sooner).
static void ensure_workers(int count) {
    if (count > MAX_WORKERS) count = MAX_WORKERS;
    pthread_mutex_lock(&start_lock);
    while (started_workers < count) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        int failed = pthread_create(&thread, &attributes, worker_main, NULL);
        pthread_attr_destroy(&attributes);
        if (failed) break;
        started_workers++;
    }
    pthread_mutex_unlock(&start_lock);
}

void cqk_pool_set_spin_microseconds(int64_t microseconds) {
    atomic_store(&spin_nanoseconds, (microseconds < 0 ? 0 : microseconds) * 1000);
}

int cqk_pool_run(int64_t chunks, int threads, cqk_pool_task task, void *context) {
    if (chunks <= 0) return 0;
    if (threads <= 1 || chunks == 1 || chunks > MAX_CHUNKS || inside_task || pthread_mutex_trylock(&submit_lock) != 0) {
        for (int64_t chunk = 0; chunk < chunks; chunk++) task(context, chunk);
        return 0;
    }
    ensure_workers(threads - 1);
    job_task = task;
    job_context = context;
    atomic_store_explicit(&chunks_finished, 0, memory_order_relaxed);
    uint32_t job = (uint32_t)(atomic_load(&job_state) >> 32) + 1;
    atomic_store(&job_state, ((uint64_t)job << 32) | ((uint64_t)chunks << 16));
    if (atomic_load(&sleeping_workers) > 0) {
        pthread_mutex_lock(&sleep_lock);
        pthread_cond_broadcast(&wake_up);
        pthread_mutex_unlock(&sleep_lock);
    }
    work_on(job);
    // Chunks still running belong to workers that claimed them while running: wait for those.
    int polls = 0;
    while (atomic_load_explicit(&chunks_finished, memory_order_acquire) < chunks) {
        CQK_PAUSE();
        if (++polls % 1024 == 0) sched_yield();
    }
    pthread_mutex_unlock(&submit_lock);
    return 1;
}
