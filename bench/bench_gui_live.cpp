// Live view under load (issue 9, item 7 and "Done means"): the main window against the built-in
// simulator with two plates at 1 kHz, while a timer resizes the window every 500 ms and toggles the
// centre-of-pressure chart's zoom (the force chart scrolls every frame anyway), and a recorder
// consumes the lossless stream of the same connection on its own thread, as the trial recorder does.
//
// Reports per run and as medians: CPU time of the GUI thread and of the whole process (simulator,
// acquisition and recorder threads included) as % of one core, chart updates per second (series
// replaced) and chart repaints per second (paint events of the force chart), and what the recorder
// lost (ring rejections, sequence numbers never received, gaps). Target: GUI thread < 30 % of one
// core, recorder loses nothing.
//
//   bench_gui_live [--seconds 20] [--runs 3] [--rate 1000] [--profile]
//
// Runs on the offscreen platform unless QT_QPA_PLATFORM says otherwise.
#include <QAbstractScrollArea>
#include <QApplication>
#include <QCheckBox>
#include <QElapsedTimer>
#include <QEvent>
#include <QEventLoop>
#include <QTimer>

#include <sys/resource.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "forceplate/gui/main_window.hpp"

namespace {

double cpu_seconds(int who) {
  rusage u{};
  getrusage(who, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
}

// With --profile: wall time the GUI thread spends handling each kind of event (timer = the 30 Hz
// tick: drain, decimate, replace series; UpdateRequest/Paint = drawing; LayoutRequest/Resize...).
class ProfilingApplication : public QApplication {
 public:
  using QApplication::QApplication;
  bool profile = false;
  std::map<int, std::pair<double, unsigned long long>> by_type;  // event type -> (s, count)
  std::map<std::string, std::pair<double, unsigned long long>> by_receiver;  // timers and queued calls
  int depth = 0;

  bool notify(QObject* receiver, QEvent* event) override {
    if (!profile || depth > 0) return QApplication::notify(receiver, event);
    const int type = event->type();
    // Named before handling: the receiver may delete itself while it handles the event.
    const char* receiver_class =
        type == QEvent::MetaCall || type == QEvent::Timer ? receiver->metaObject()->className() : "";
    ++depth;
    QElapsedTimer t;
    t.start();
    const bool r = QApplication::notify(receiver, event);
    auto& slot = by_type[type];
    slot.first += static_cast<double>(t.nsecsElapsed()) * 1e-9;
    ++slot.second;
    // Queued calls and timers: which kind of object they went to.
    if (type == QEvent::MetaCall || type == QEvent::Timer) {
      auto& r2 = by_receiver[std::string(type == QEvent::Timer ? "timer: " : "call: ") + receiver_class];
      r2.first += static_cast<double>(t.nsecsElapsed()) * 1e-9;
      ++r2.second;
    }
    --depth;
    return r;
  }
};

// Counts paint events of a widget (the chart's viewport).
class PaintCounter : public QObject {
 public:
  unsigned long long paints = 0;

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override {
    if (event->type() == QEvent::Paint) ++paints;
    return QObject::eventFilter(watched, event);
  }
};

// The recorder's side: a lossless ring of ten seconds, polled like workflow::record_trial.
struct Recorder {
  std::shared_ptr<fp::acq::SampleRing> ring;
  std::thread thread;
  std::atomic<bool> stop{false};
  std::uint64_t samples = 0;
  std::uint64_t gaps = 0;              // samples marked with a gap before them
  std::uint64_t gap_samples = 0;       // their gap_before, summed
  std::uint64_t sequence_missing = 0;  // sequence numbers skipped between consecutive samples
  std::vector<fp::acq::Sample> kept;   // what a trial would hold

  void attach(fp::acq::DeviceConnection& device, double rate_hz) {
    ring = device.subscribe(static_cast<std::size_t>(rate_hz * 10) + 1024);
    thread = std::thread([this] { run(); });
  }

  void run() {
    std::vector<fp::acq::Sample> batch;
    batch.reserve(4096);
    bool first = true;
    std::uint64_t last = 0;
    while (true) {
      batch.clear();
      const bool stopping = stop.load();
      ring->pop_into(batch, 4096);
      for (const fp::acq::Sample& s : batch) {
        if (s.gap_before > 0) {
          ++gaps;
          gap_samples += s.gap_before;
        }
        if (!first && s.sequence > last + 1) sequence_missing += s.sequence - last - 1;
        first = false;
        last = s.sequence;
        kept.push_back(s);
      }
      samples += batch.size();
      if (batch.empty()) {
        if (stopping) break;
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
      }
    }
  }

  void finish() {
    stop = true;
    if (thread.joinable()) thread.join();
  }
};

struct RunResult {
  double wall_s = 0;
  double gui_cpu_pct = 0;
  double process_cpu_pct = 0;
  double updates_per_s = 0;
  double paints_per_s = 0;
  double recorder_rate_hz = 0;
  std::uint64_t recorded = 0;
  std::uint64_t rejected = 0;
  std::uint64_t sequence_missing = 0;
  std::uint64_t gaps = 0;
  std::uint64_t gap_samples = 0;
  std::size_t force_points = 0;
  std::size_t cop_points = 0;
};

void wait_ms(int ms) {
  QEventLoop loop;
  QTimer::singleShot(ms, &loop, &QEventLoop::quit);
  loop.exec();
}

bool run_once(double seconds, double rate, RunResult& out) {
  auto recorder = std::make_shared<Recorder>();
  fp::gui::MainWindowOptions o;
  o.error_dialogs = false;
  o.simulator.rate_hz = rate;
  o.simulator.plate_count = 2;
  o.simulator.keep_truth = false;  // a 20 s run would otherwise keep every true sample
  o.simulator.scenario.name = "quiet-stance";
  o.simulator.scenario.plate_count = 2;
  o.before_streaming = [recorder, rate](fp::acq::DeviceConnection& d) { recorder->attach(d, rate); };
  // The window opens an archive for its Clinic tab: a throw-away one, not the user's.
  o.archive_dir = (std::filesystem::temp_directory_path() / ("fp-bench-gui-archive-" + std::to_string(::getpid()))).string();
  struct RemoveArchive {
    std::string dir;
    ~RemoveArchive() {
      std::error_code ec;
      std::filesystem::remove_all(dir, ec);
    }
  } remove_archive{o.archive_dir};

  fp::gui::MainWindow w(o);
  w.resize(1280, 800);
  w.show();
  w.connect_to_simulator();
  QElapsedTimer clock;
  clock.start();
  while (!w.is_connected() && clock.elapsed() < 10000) wait_ms(20);
  if (!w.is_connected()) {
    std::fprintf(stderr, "could not connect to the simulator\n");
    recorder->finish();
    return false;
  }
  wait_ms(2000);  // the person steps on; buffers fill

  auto* force_chart = qobject_cast<QAbstractScrollArea*>(w.findChild<QWidget*>("forceChart"));
  PaintCounter paints;
  if (force_chart) force_chart->viewport()->installEventFilter(&paints);
  auto* zoom = w.findChild<QCheckBox*>("zoomToSway");

  // The user: resizes every 500 ms, toggles the COP zoom every other time.
  const QSize sizes[] = {{1280, 800}, {1000, 650}, {1600, 950}, {920, 620}, {1440, 860}};
  int step = 0;
  QTimer user;
  user.setInterval(500);
  QObject::connect(&user, &QTimer::timeout, [&] {
    ++step;
    w.resize(sizes[static_cast<std::size_t>(step) % std::size(sizes)]);
    if (zoom && step % 2 == 0) zoom->setChecked(!zoom->isChecked());
  });

  const double gui0 = cpu_seconds(RUSAGE_THREAD);
  const double all0 = cpu_seconds(RUSAGE_SELF);
  const unsigned long long updates0 = w.redraws();
  QElapsedTimer wall;
  wall.start();
  user.start();
  wait_ms(static_cast<int>(seconds * 1000));
  user.stop();
  const double wall_s = static_cast<double>(wall.nsecsElapsed()) * 1e-9;
  const double gui1 = cpu_seconds(RUSAGE_THREAD);
  const double all1 = cpu_seconds(RUSAGE_SELF);
  const unsigned long long updates1 = w.redraws();
  const unsigned long long paints1 = paints.paints;
  out.force_points = w.force_view().point_count(0) + w.force_view().point_count(1);
  out.cop_points = w.cop_view().point_count(0) + w.cop_view().point_count(1);
  if (force_chart) force_chart->viewport()->removeEventFilter(&paints);

  w.disconnect_source();  // stops streaming; the recorder drains what is left
  recorder->finish();
  out.wall_s = wall_s;
  out.gui_cpu_pct = 100 * (gui1 - gui0) / wall_s;
  out.process_cpu_pct = 100 * (all1 - all0) / wall_s;
  out.updates_per_s = static_cast<double>(updates1 - updates0) / wall_s;
  out.paints_per_s = static_cast<double>(paints1) / wall_s;
  out.recorded = recorder->samples;
  out.rejected = recorder->ring ? recorder->ring->rejected() : 0;
  out.sequence_missing = recorder->sequence_missing;
  out.gaps = recorder->gaps;
  out.gap_samples = recorder->gap_samples;
  if (recorder->kept.size() > 1) {
    const double span = recorder->kept.back().device_time_s - recorder->kept.front().device_time_s;
    out.recorder_rate_hz = span > 0 ? static_cast<double>(recorder->kept.size() - 1) / span : 0;
  }
  return true;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n == 0 ? 0 : (n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]));
}

}  // namespace

int main(int argc, char** argv) {
  double seconds = 20, rate = 1000;
  int runs = 3;
  bool profile = false;
  for (int i = 1; i < argc; i += 2) {
    if (!std::strcmp(argv[i], "--profile")) {
      profile = true;
      --i;
    } else if (i + 1 >= argc) {
      std::fprintf(stderr, "%s needs a value\n", argv[i]);
      return 2;
    } else if (!std::strcmp(argv[i], "--seconds")) seconds = std::atof(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--runs")) runs = std::atoi(argv[i + 1]);
    else if (!std::strcmp(argv[i], "--rate")) rate = std::atof(argv[i + 1]);
    else {
      std::fprintf(stderr, "usage: %s [--seconds 20] [--runs 3] [--rate 1000] [--profile]\n", argv[0]);
      return 2;
    }
  }
  if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
  ProfilingApplication app(argc, argv);
  app.profile = profile;
  std::printf("live view, 2 plates at %.0f Hz, %.0f s per run, window resized every 500 ms, COP zoom toggled every 1 s,\n"
              "a recorder on the lossless stream; platform %s, %u hardware threads\n",
              rate, seconds, qgetenv("QT_QPA_PLATFORM").constData(), std::thread::hardware_concurrency());
  std::printf("%4s %8s %9s %9s %9s %9s %9s %10s %8s %8s %6s %9s\n", "run", "wall s", "GUI %cpu", "proc %cpu", "updates/s",
              "paints/s", "rec Hz", "recorded", "rejected", "seq.miss", "gaps", "points");
  std::vector<double> gui, proc, upd, pnt;
  std::uint64_t lost_total = 0, gaps_total = 0;
  for (int r = 0; r < runs; ++r) {
    RunResult res;
    if (!run_once(seconds, rate, res)) return 1;
    std::printf("%4d %8.2f %9.1f %9.1f %9.1f %9.1f %9.1f %10llu %8llu %8llu %6llu %4zu+%-4zu\n", r + 1, res.wall_s,
                res.gui_cpu_pct, res.process_cpu_pct, res.updates_per_s, res.paints_per_s, res.recorder_rate_hz,
                static_cast<unsigned long long>(res.recorded), static_cast<unsigned long long>(res.rejected),
                static_cast<unsigned long long>(res.sequence_missing), static_cast<unsigned long long>(res.gaps),
                res.force_points, res.cop_points);
    std::fflush(stdout);
    gui.push_back(res.gui_cpu_pct);
    proc.push_back(res.process_cpu_pct);
    upd.push_back(res.updates_per_s);
    pnt.push_back(res.paints_per_s);
    lost_total += res.rejected + res.sequence_missing;
    gaps_total += res.gaps;
  }
  if (profile) {
    std::printf("GUI thread, outermost event handlers (all runs, including connecting):\n");
    std::vector<std::pair<double, std::pair<int, unsigned long long>>> rows;
    for (const auto& [type, v] : app.by_type) rows.push_back({v.first, {type, v.second}});
    std::sort(rows.rbegin(), rows.rend());
    for (std::size_t i = 0; i < rows.size() && i < 8; ++i) {
      std::printf("  event type %4d: %8.3f s in %8llu events, %.3f ms each\n", rows[i].second.first, rows[i].first,
                  rows[i].second.second, 1e3 * rows[i].first / static_cast<double>(rows[i].second.second));
    }
    for (const auto& [name, v] : app.by_receiver) {
      if (v.first > 0.05) {
        std::printf("  %-40s %8.3f s in %8llu events, %.3f ms each\n", name.c_str(), v.first, v.second,
                    1e3 * v.first / static_cast<double>(v.second));
      }
    }
  }
  std::printf("median over %d runs: GUI thread %.1f %% of one core, process %.1f %% of one core, %.1f chart updates/s, "
              "%.1f chart repaints/s; recorder lost %llu samples in total, %llu gaps\n",
              runs, median(gui), median(proc), median(upd), median(pnt), static_cast<unsigned long long>(lost_total),
              static_cast<unsigned long long>(gaps_total));
  std::printf("target: GUI thread < 30 %% of one core and no sample lost: %s\n",
              median(gui) < 30 && lost_total == 0 ? "met" : "NOT met");
  return lost_total == 0 ? 0 : 1;
}
