#include "ui/tasks.hpp"

#include <utility>

namespace lietvedis::ui {

TaskQueue::TaskQueue() : worker_([this] { Run(); }) {}

TaskQueue::~TaskQueue() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stop_ = true;
    jobs_.clear();
  }
  stop_requested_.store(true);
  cv_.notify_all();
  worker_.join();
}

void TaskQueue::Post(std::string label, Job job) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    jobs_.emplace_back(std::move(label), std::move(job));
    outstanding_.fetch_add(1);
  }
  cv_.notify_one();
}

int TaskQueue::DrainCompletions() {
  std::deque<Completion> ready;
  {
    std::lock_guard<std::mutex> lock(mu_);
    ready.swap(done_);
  }
  int ran = 0;
  for (auto& completion : ready) {
    if (completion) completion();
    ++ran;
    outstanding_.fetch_sub(1);
  }
  if (ran > 0) idle_cv_.notify_all();
  return ran;
}

void TaskQueue::WaitIdle() {
  for (;;) {
    DrainCompletions();
    std::unique_lock<std::mutex> lock(mu_);
    if (outstanding_.load() == 0) return;
    if (done_.empty())
      idle_cv_.wait(lock, [this] { return !done_.empty() || outstanding_.load() == 0; });
  }
}

std::string TaskQueue::RunningLabel() const {
  std::lock_guard<std::mutex> lock(mu_);
  return running_label_;
}

void TaskQueue::Run() {
  for (;;) {
    std::pair<std::string, Job> next;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait(lock, [this] { return stop_ || !jobs_.empty(); });
      if (stop_) return;
      next = std::move(jobs_.front());
      jobs_.pop_front();
      running_label_ = next.first;
    }
    progress_.store(-1.0f);
    Completion completion = next.second ? next.second() : Completion{};
    {
      std::lock_guard<std::mutex> lock(mu_);
      running_label_.clear();
      done_.push_back(std::move(completion));
    }
    idle_cv_.notify_all();
  }
}

}  // namespace lietvedis::ui
