// TaskQueue: one worker thread that runs slow work (Argon2id unlock, database writes and
// queries, sync, export) off the frame thread, and a completion queue the main thread drains
// once per frame.
//
// A job runs on the worker and returns a completion: a closure that the main thread runs in
// DrainCompletions(), where it may swap snapshots and touch UI state. Workers never write
// UI-visible state directly; the only shared state is the atomics below (progress, busy).
//
// The worker is also the one thread that owns the store's writer connection (the Workspace
// belongs to the writer thread), so jobs run strictly in the order they were posted.
//
// Threading: Post(), DrainCompletions(), Busy(), Pending() are for the main thread; Progress()
// may be written by the running job and read by anyone.
//
// WARNING: a completion must not capture references to worker-only objects (the Session):
// copy what it needs into values or shared_ptr<const ...> snapshots inside the job.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <string>
#include <thread>

namespace lietvedis::ui {

class TaskQueue {
 public:
  using Completion = std::function<void()>;
  using Job = std::function<Completion()>;

  TaskQueue();
  // Lets the running job finish, drops jobs not yet started, and joins the worker. Their
  // completions are not run.
  ~TaskQueue();
  TaskQueue(const TaskQueue&) = delete;
  TaskQueue& operator=(const TaskQueue&) = delete;

  // Queues a job; `label` is an id-only description for the status bar ("unlock", "save").
  void Post(std::string label, Job job);
  // Runs every completion that has arrived; returns how many ran. Main thread only.
  int DrainCompletions();
  // Blocks until every posted job has run and its completion has been drained (tests and
  // scripted runs; never called from a frame).
  void WaitIdle();

  // True while a job is queued or running, or a completion waits to be drained.
  bool Busy() const { return outstanding_.load() > 0; }
  std::size_t Pending() const { return static_cast<std::size_t>(outstanding_.load()); }
  // Label of the job running now ("" when idle). Main thread.
  std::string RunningLabel() const;
  // True once destruction has begun: long jobs may poll it and return early.
  bool StopRequested() const { return stop_requested_.load(); }
  // Progress of the running job in [0, 1], or negative for "unknown" (spinner).
  std::atomic<float>& Progress() { return progress_; }

 private:
  void Run();

  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::condition_variable idle_cv_;
  std::deque<std::pair<std::string, Job>> jobs_;
  std::deque<Completion> done_;
  std::string running_label_;
  std::atomic<int> outstanding_{0};
  std::atomic<float> progress_{-1.0f};
  std::atomic<bool> stop_requested_{false};
  bool stop_ = false;
  std::thread worker_;
};

}  // namespace lietvedis::ui
