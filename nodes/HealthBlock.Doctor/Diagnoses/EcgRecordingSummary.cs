using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthBlock.Analysis;

namespace HealthBlock.Doctor;

/// <summary>One continuous ECG recording of one device and what the analysis made of it.</summary>
/// <param name="Device">The device id (16 hex digits).</param>
/// <param name="StartMs">Time of its first sample.</param>
/// <param name="EndMs">Time just after its last sample.</param>
/// <param name="SamplingFrequencyHz">Samples per second.</param>
/// <param name="SampleCount">Samples analysed, including masked ones.</param>
/// <param name="Frames">Frames concatenated into it.</param>
/// <param name="LeadOffFrames">Frames masked because the device flagged lead-off or a sensor fault.</param>
/// <param name="FilledGapSamples">Samples inserted (masked) for short gaps between frames.</param>
/// <param name="AnalysedSeconds">Seconds of clean ECG analysed.</param>
/// <param name="ExcludedSeconds">Seconds excluded (lead-off, noise, too short).</param>
/// <param name="BeatCount">R peaks detected.</param>
/// <param name="HeartRate">Heart-rate summary, or null with fewer than two RR intervals.</param>
public sealed record EcgRecordingSummary(
    string Device,
    long StartMs,
    long EndMs,
    double SamplingFrequencyHz,
    int SampleCount,
    int Frames,
    int LeadOffFrames,
    int FilledGapSamples,
    double AnalysedSeconds,
    double ExcludedSeconds,
    int BeatCount,
    HeartRateSummary? HeartRate);
