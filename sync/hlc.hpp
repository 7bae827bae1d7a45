// Hybrid logical clocks (Kulkarni et al., 2014). A timestamp packs 48 bits of wall-clock
// milliseconds and a 16-bit logical counter into one int64, so stamps compare as integers and
// stay close to real time. A Stamp adds the writing site's id as the deterministic tie-break.
#pragma once

#include <compare>
#include <cstdint>
#include <functional>
#include <string>

namespace lietvedis::sync {

struct Stamp {
  std::int64_t hlc = 0;  // 0 = "no value yet"
  std::string site;      // writer's site id; compared bytewise to break ties

  bool IsZero() const { return hlc == 0 && site.empty(); }
  friend auto operator<=>(const Stamp& a, const Stamp& b) {
    if (auto c = a.hlc <=> b.hlc; c != 0) return c;
    return a.site.compare(b.site) <=> 0;
  }
  friend bool operator==(const Stamp& a, const Stamp& b) = default;
};

inline std::int64_t HlcPhysicalMs(std::int64_t hlc) {
  return hlc >> 16;
}
inline std::int64_t HlcCounter(std::int64_t hlc) {
  return hlc & 0xffff;
}
inline std::int64_t HlcPack(std::int64_t ms, std::int64_t counter) {
  return (ms << 16) | counter;
}

// Not thread-safe; owned by the Replica on the writer thread.
class HybridClock {
 public:
  using WallClock = std::function<std::int64_t()>;  // milliseconds since the Unix epoch
  explicit HybridClock(WallClock wall = nullptr);

  // A timestamp for a local event, strictly greater than every timestamp seen so far, except
  // at kMaxHlc where it saturates (never wraps to a negative stamp).
  std::int64_t Now();
  // Merges a timestamp received from another replica, so later local events order after it.
  // A stamp more than kMaxObservedAheadMs ahead of the wall clock is observed only up to that
  // bound: a peer's far-future stamp must not drag this clock (and every later local write)
  // to the end of time. Replica::ApplyRemote refuses such stamps before they get here.
  void Observe(std::int64_t remote_hlc);
  std::int64_t WallMs() const { return wall_(); }

  static constexpr std::int64_t kMaxHlc = INT64_MAX;
  static constexpr std::int64_t kMaxObservedAheadMs = 24LL * 60 * 60 * 1000;
  std::int64_t last() const { return last_; }
  void Restore(std::int64_t last) { last_ = last; }
  void SetWallClock(WallClock wall) { wall_ = std::move(wall); }

 private:
  WallClock wall_;
  std::int64_t last_ = 0;
};

}  // namespace lietvedis::sync
