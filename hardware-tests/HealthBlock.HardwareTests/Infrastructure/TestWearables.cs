using HealthBlock.Wearable.Simulation.Wearable;
using HealthBlock.Wearable.Sampling;

namespace HealthBlock.HardwareTests.Infrastructure;

/// <summary>Options for emulated wearables used across the tests.</summary>
public static class TestWearables
{
    public const long Epoch = 1_767_225_600_000; // 2026-01-01T00:00:00Z

    public static byte[] KeyFor(ulong deviceId)
    {
        var key = new byte[32];
        BitConverter.TryWriteBytes(key, deviceId);
        for (var i = 8; i < key.Length; i++)
        {
            key[i] = (byte)((i * 37) ^ (int)(deviceId >> (i % 8)));
        }

        return key;
    }

    public static EmulatedWearableOptions Options(ulong deviceId, int? brokerPort = null, bool virtualTime = true, WearableSettings? settings = null) => new()
    {
        DeviceId = deviceId,
        Patient = "patient-" + (deviceId % 1000),
        Key = KeyFor(deviceId),
        BrokerHost = "127.0.0.1",
        BrokerPort = brokerPort ?? 1883,
        VirtualStartMs = virtualTime ? Epoch : null,
        Settings = settings,
    };
}
