// The I/O thread of a DeviceConnection: bytes in, decoded, numbered, converted, handed out.
#include <chrono>
#include <cmath>

#include "connection_impl.hpp"

namespace fp::acq {

double host_seconds() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

void DeviceConnection::Impl::mark_lost(const std::string& why) {
  if (!status.lost) ++status.times_lost;
  status.lost = true;
  status.connected = false;
  status.last_error = why;
  changed.notify_all();
}

void DeviceConnection::Impl::read_next() {
  port.async_read_some(asio::buffer(rx), [this](const boost::system::error_code& ec, std::size_t n) {
    if (ec) {
      if (ec == asio::error::operation_aborted) return;
      std::lock_guard lock(mutex);
      mark_lost(ec == asio::error::eof ? "device closed the connection" : "port error: " + ec.message());
      return;
    }
    on_bytes(n);
    read_next();
  });
}

void DeviceConnection::Impl::on_bytes(std::size_t n) {
  if (format != WireFormat::text) {
    decoder.feed(rx.data(), n, [this](const proto::FrameView& f) { on_frame(f); });
    if (format == WireFormat::automatic && decoder.stats().frames > 0) format = WireFormat::binary;
  }
  if (format != WireFormat::binary) text.feed(rx.data(), n, *this);
  const proto::DecoderStats& d = decoder.stats();
  std::lock_guard lock(mutex);
  status.bytes_received += n;
  status.frames = d.frames;
  status.crc_errors = d.crc_errors;
  status.framing_errors = d.framing_errors + d.oversize_frames + d.version_mismatches;
  status.malformed_lines = format == WireFormat::text ? text.stats().malformed : 0;
}

void DeviceConnection::Impl::on_frame(const proto::FrameView& f) {
  switch (static_cast<proto::FrameType>(f.type)) {
    case proto::FrameType::samples:
      if (proto::parse_samples(f, block)) on_samples();
      return;
    case proto::FrameType::device_info: {
      proto::DeviceInfoMsg m{};
      if (proto::parse_device_info(f, m)) on_device_info(m);
      return;
    }
    case proto::FrameType::reply: {
      proto::ReplyMsg r{};
      if (!proto::parse_reply(f, r)) return;
      std::lock_guard lock(mutex);
      if (unawaited.erase(r.request_id) > 0) return;
      replies[r.request_id] = r;
      changed.notify_all();
      return;
    }
    case proto::FrameType::status: {
      proto::StatusMsg s{};
      if (!proto::parse_status(f, s)) return;
      std::lock_guard lock(mutex);
      if (s.code == proto::StatusCode::overrun) status.device_reported_drops += s.dropped;
      if (s.code == proto::StatusCode::adc_fault) status.last_error = "device reports an ADC fault";
      if (s.code == proto::StatusCode::boot && streaming) {
        // The device restarted under us and waits to be told to start again.
        status.last_error = "device restarted";
        send_unawaited(proto::FrameType::start);
      }
      return;
    }
    default: {
      std::lock_guard lock(mutex);
      ++status.unknown_frames;  // skip and count: a newer device may send types we do not know
      return;
    }
  }
}

void DeviceConnection::Impl::on_device_info(const proto::DeviceInfoMsg& m) {
  DeviceDescription d = describe(m);
  place_plates(d);
  std::lock_guard lock(mutex);
  if (calibration && calibration->serial == d.serial) apply_calibration(d, *calibration);
  if (tare_offsets && tare_offsets->size() == static_cast<std::size_t>(d.cell_count())) {
    for (std::size_t i = 0; i < tare_offsets->size(); ++i) {
      d.plates[i / kCellsPerPlate].cells[i % kCellsPerPlate].offset_counts = (*tare_offsets)[i];
    }
  }
  converter.emplace(d, options.min_cop_force_n);
  tracker.set_rate(d.current_rate_hz);
  device = d;
  changed.notify_all();
}

void DeviceConnection::Impl::on_samples() {
  const double now = host_seconds();
  std::lock_guard lock(mutex);
  if (!converter || block.cell_count != converter->device().cell_count()) {
    ++status.unknown_frames;  // samples that do not match the described plate cannot be used
    return;
  }
  for (int i = 0; i < block.sample_count; ++i) {
    place_and_deliver(block.first_sequence + static_cast<std::uint32_t>(i), block.time_us[i], block.counts[i],
                      block.cell_count, now);
  }
}

void DeviceConnection::Impl::place_and_deliver(std::uint32_t seq, std::uint32_t time_us, const std::int32_t* counts,
                                               int cells, double host_s) {
  const auto placed = tracker.place(seq, time_us, host_s);
  if (placed.gap_kind == GapKind::device_restart || placed.gap_kind == GapKind::reconnect) clock.reset();
  clock.add(host_s, placed.device_time_s);
  Sample s;
  s.sequence = placed.sequence;
  s.device_time_s = placed.device_time_s;
  s.gap_before = placed.gap_before;
  s.gap_kind = placed.gap_kind;
  for (int c = 0; c < cells; ++c) s.counts[static_cast<std::size_t>(c)] = counts[c];
  converter->convert(s);
  for (auto& r : lossless) r->try_push(s);
  for (auto& r : lossy) {
    if (!r->try_push(s)) ++status.display_drops;
  }
  status.samples = tracker.samples_seen();
  status.samples_missing = tracker.samples_missing();
  status.samples_missing_estimated = tracker.samples_missing_estimated();
  status.device_restarts = tracker.restarts();
  status.clock_drift_ppm = clock.points() > 100 ? clock.drift_ppm() : 0.0;
  last_data_host_s = host_s;
  ++rate_window_samples;
  if (host_s - rate_window_start >= 1.0) {
    status.measured_rate_hz = static_cast<double>(rate_window_samples) / (host_s - rate_window_start);
    rate_window_start = host_s;
    rate_window_samples = 0;
  }
}

void DeviceConnection::Impl::send_unawaited(proto::FrameType type) {
  proto::CommandMsg cmd{type, next_request++, 0};
  if (next_request == 0) next_request = 1;
  unawaited.insert(cmd.request_id);
  send(cmd);
}

// ---- the plain-text line format (TextLineDecoder handler) ----

void DeviceConnection::Impl::on_identity(const TextIdentity& id) {
  text_identity = id;
  if (format != WireFormat::text || !converter) return;
  // Identified after the first lines: name the plate, and take its own word for the rate.
  DeviceDescription d = converter->device();
  if (!id.serial.empty()) d.serial = id.serial;
  if (id.rate_hz > 0) d.nominal_rate_hz = d.current_rate_hz = id.rate_hz;
  converter.emplace(d, options.min_cop_force_n);
  tracker.set_rate(d.current_rate_hz);
  std::lock_guard lock(mutex);
  device = d;
}

void DeviceConnection::Impl::on_malformed(std::string_view) {
  if (format == WireFormat::text) ++text_index;  // a damaged line is a lost sample: it keeps its number
}

void DeviceConnection::Impl::on_sample(const TextSample& t) {
  if (format == WireFormat::automatic) {
    // Two good lines and no binary frame yet: this plate speaks text.
    if (++text_valid_lines < 2) return;
    become_text(t.cell_count);
  } else if (format == WireFormat::text && !converter) {
    become_text(t.cell_count);
  }
  if (format != WireFormat::text) return;
  const double rate = converter->device().current_rate_hz;
  const auto period_us = static_cast<std::uint32_t>(1e6 / rate);
  std::uint32_t time_us;
  if (t.has_time) {
    // With time stamps, lines lost whole show as time jumps of whole periods.
    if (text_have_time) {
      const double periods = static_cast<double>(t.time_us - text_last_time_us) / period_us;
      text_index += periods > 1.5 ? static_cast<std::uint64_t>(periods + 0.5) - 1 : 0;
    }
    text_have_time = true;
    text_last_time_us = t.time_us;
    time_us = t.time_us;
  } else {
    time_us = static_cast<std::uint32_t>(text_index * period_us);
  }
  const std::uint64_t seq = text_index++;
  if (t.cell_count != converter->device().cell_count()) return;
  const double now = host_seconds();
  std::lock_guard lock(mutex);
  last_data_host_s = now;
  if (!streaming) return;
  place_and_deliver(static_cast<std::uint32_t>(seq), time_us, t.counts, t.cell_count, now);
}

void DeviceConnection::Impl::become_text(int cells) {
  format = WireFormat::text;
  DeviceDescription d;
  d.serial = text_identity.serial.empty() ? "text:" + options.path : text_identity.serial;
  d.firmware_version = "text-line-v1";
  d.nominal_rate_hz = d.current_rate_hz = text_identity.rate_hz > 0 ? text_identity.rate_hz : options.text_rate_hz;
  d.adc_bits = 24;
  for (int k = 0; k < cells / kCellsPerPlate; ++k) d.plates.push_back(options.text_plate);
  place_plates(d);
  converter.emplace(d, options.min_cop_force_n);
  tracker.set_rate(d.current_rate_hz);
  std::lock_guard lock(mutex);
  device = d;
  status.text_format = true;
  changed.notify_all();
}

}  // namespace fp::acq
