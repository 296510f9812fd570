// Ranks as threads of one process, for tests of distributed training without MPI: run_ranks(n,
// fn) runs fn(comm) on n threads whose ThreadCommunicators exchange through shared memory. The
// reductions add in rank order, as MPI may not (integer sums do not care; that is the point).
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstring>
#include <exception>
#include <functional>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include "claimlens/communicator.hpp"

namespace claimlens::testing {

class ThreadCommunicator final : public Communicator {
 public:
  struct Shared {
    explicit Shared(int n) : size(n), deposits(static_cast<std::size_t>(n)) {}
    int size;
    std::mutex mutex;
    std::condition_variable done;
    int arrived = 0;
    std::uint64_t generation = 0;
    std::vector<std::vector<unsigned char>> deposits, snapshot;
  };
  ThreadCommunicator(Shared& shared, int rank) : s_(shared), rank_(rank) {}

  int rank() const override { return rank_; }
  int size() const override { return s_.size; }
  void allreduce_sum(std::int64_t* v, std::size_t n) override {
    reduce(v, n, [](auto a, auto b) { return a + b; });
  }
  void allreduce_sum(std::int32_t* v, std::size_t n) override {
    reduce(v, n, [](auto a, auto b) { return a + b; });
  }
  void allreduce_sum(double* v, std::size_t n) override {
    reduce(v, n, [](auto a, auto b) { return a + b; });
  }
  void allreduce_max(double* v, std::size_t n) override {
    reduce(v, n, [](auto a, auto b) { return a > b ? a : b; });
  }
  std::vector<unsigned char> allgather(const void* data, std::size_t bytes,
                                       std::vector<std::size_t>& offsets) override {
    const auto* p = static_cast<const unsigned char*>(data);
    const auto all = exchange(std::vector<unsigned char>(p, p + bytes));
    offsets.assign(1, 0);
    std::vector<unsigned char> out;
    for (const auto& part : all) {
      out.insert(out.end(), part.begin(), part.end());
      offsets.push_back(out.size());
    }
    return out;
  }
  int collectives() const { return calls_; }

 private:
  template <class T, class Op>
  void reduce(T* v, std::size_t n, Op op) {
    const auto* p = reinterpret_cast<const unsigned char*>(v);
    const auto all = exchange(std::vector<unsigned char>(p, p + n * sizeof(T)));
    for (std::size_t i = 0; i < n; ++i) {
      T acc;
      std::memcpy(&acc, all[0].data() + i * sizeof(T), sizeof(T));
      for (std::size_t k = 1; k < all.size(); ++k) {
        if (all[k].size() != n * sizeof(T)) throw std::logic_error("ranks differ in size");
        T x;
        std::memcpy(&x, all[k].data() + i * sizeof(T), sizeof(T));
        acc = op(acc, x);
      }
      v[i] = acc;
    }
  }
  // Every rank's deposit, in rank order; a rank missing for 60 s is an error, not a hang.
  std::vector<std::vector<unsigned char>> exchange(std::vector<unsigned char> mine) {
    ++calls_;
    std::unique_lock<std::mutex> lock(s_.mutex);
    s_.deposits[static_cast<std::size_t>(rank_)] = std::move(mine);
    const std::uint64_t gen = s_.generation;
    if (++s_.arrived == s_.size) {
      s_.arrived = 0;
      s_.snapshot = s_.deposits;
      ++s_.generation;
      s_.done.notify_all();
    } else if (!s_.done.wait_for(lock, std::chrono::seconds(60),
                                 [&] { return s_.generation != gen; })) {
      throw std::runtime_error("ThreadCommunicator: a rank never joined the collective");
    }
    return s_.snapshot;
  }

  Shared& s_;
  int rank_;
  int calls_ = 0;
};

/// Runs fn(comm) on `ranks` threads; rethrows the lowest rank's exception, if any.
inline void run_ranks(int ranks, const std::function<void(ThreadCommunicator&)>& fn) {
  ThreadCommunicator::Shared shared(ranks);
  std::vector<std::exception_ptr> errors(static_cast<std::size_t>(ranks));
  std::vector<std::thread> threads;
  for (int k = 0; k < ranks; ++k) {
    threads.emplace_back([&, k] {
      ThreadCommunicator comm(shared, k);
      try {
        fn(comm);
      } catch (...) {
        errors[static_cast<std::size_t>(k)] = std::current_exception();
      }
    });
  }
  for (auto& t : threads) t.join();
  for (const auto& e : errors) {
    if (e) std::rethrow_exception(e);
  }
}

}  // namespace claimlens::testing
