using HealthBlock.Protocol.Frames;

namespace HealthBlock.Fhir;

/// <summary>A wearable paired with the patient's gateway.</summary>
/// <param name="DeviceId">The device id assigned at pairing (a frame's <see cref="DeviceFrame.DeviceId"/>).</param>
/// <param name="Kinds">The sensors it carries.</param>
public sealed record WearableDevice(ulong DeviceId, IReadOnlyList<SensorKind> Kinds);
