#pragma once
// Private: a blocking queue of bounded size between one producer thread and one
// consumer, with a way for either side to give up (so neither waits forever when
// the other has failed).

#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace estate::util {

template <class T>
class BoundedQueue {
public:
    explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}

    /// Waits for room; false when the queue was closed (the consumer gave up).
    bool push(T item) {
        std::unique_lock<std::mutex> lock(mutex_);
        not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
        if (closed_) return false;
        items_.push_back(std::move(item));
        not_empty_.notify_one();
        return true;
    }

    /// Adds @p item only if there is room and the queue is open; never waits.
    bool try_push(T& item) {
        std::lock_guard<std::mutex> lock(mutex_);
        if (closed_ || items_.size() >= capacity_) return false;
        items_.push_back(std::move(item));
        not_empty_.notify_one();
        return true;
    }

    /// An item if one is waiting; never waits.
    std::optional<T> try_pop() {
        std::lock_guard<std::mutex> lock(mutex_);
        if (items_.empty()) return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        not_full_.notify_one();
        return item;
    }

    /// Waits for an item; nullopt once the queue is finished and empty, or closed.
    std::optional<T> pop() {
        std::unique_lock<std::mutex> lock(mutex_);
        not_empty_.wait(lock, [&] { return closed_ || finished_ || !items_.empty(); });
        if (closed_ || items_.empty()) return std::nullopt;
        T item = std::move(items_.front());
        items_.pop_front();
        not_full_.notify_one();
        return item;
    }

    /// The producer has no more items.
    void finish() {
        std::lock_guard<std::mutex> lock(mutex_);
        finished_ = true;
        not_empty_.notify_all();
    }

    /// Either side abandons the exchange; waiting calls return at once.
    void close() {
        std::lock_guard<std::mutex> lock(mutex_);
        closed_ = true;
        not_empty_.notify_all();
        not_full_.notify_all();
    }

private:
    std::mutex mutex_;
    std::condition_variable not_empty_, not_full_;
    std::deque<T> items_;
    size_t capacity_;
    bool finished_ = false;
    bool closed_ = false;
};

} // namespace estate::util
