// server-background.cpp: BackgroundTask (see server-background.h).
#include "server/server-background.h"

#include <utility>

namespace pp::server {

BackgroundTask::BackgroundTask(std::function<void()> work) : work_(std::move(work)) {}

BackgroundTask::~BackgroundTask() {
  if (worker_.joinable()) worker_.join();
}

void BackgroundTask::start_if_idle() {
  if (running_.exchange(true)) return;     // a run is going on
  if (worker_.joinable()) worker_.join();  // the previous run has ended (running_ was false)
  worker_ = std::thread([this] {
    work_();
    running_ = false;
  });
}

}  // namespace pp::server
