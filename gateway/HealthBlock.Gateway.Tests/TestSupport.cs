using HealthBlock.Crypto;
using HealthBlock.Protocol.Frames;
using HealthBlock.Protocol.Pairing;

namespace HealthBlock.Gateway.Tests;


/// <summary>
/// A device that makes authenticated frames the way the firmware does (the shared FrameWriter), and logs in to the
/// broker with <paramref name="security"/> (TLS against the gateway's CA and its credentials, as its pairing blob says).
/// </summary>
internal sealed class TestDevice(ulong id, byte[] key, UplinkSecurity? security = null)
{
    private uint _sequence;

    public ulong Id { get; } = id;

    public byte[] Key { get; } = key;

    public UplinkSecurity? Security { get; } = security;

    public string Name => DeviceFrame.FormatDeviceId(Id);

    public uint NextSequence => _sequence;

    public byte[] Ecg(short[]? samples = null, uint? sequence = null, long? time = null) =>
        Frame(SensorKind.Ecg, samples ?? [.. Enumerable.Range(0, 250).Select(i => (short)(i * 3))], sequence, time);

    public byte[] Frame(SensorKind kind, short[] samples, uint? sequence = null, long? time = null, byte[]? key = null)
    {
        var seq = sequence ?? _sequence++;
        var buffer = new byte[FrameLayout.FrameSize(samples.Length, 32)];
        var rate = kind == SensorKind.Ecg ? 250_000u : 100u;
        FrameWriter.Write(buffer, 0, (byte)kind, 0, Id, seq, time ?? 1_764_000_000_000 + (seq * 1000L), rate, samples, 0, samples.Length, 0, new HmacFrameMac(key ?? Key), 32);
        return buffer;
    }

    public string Topic(string patient, SensorKind kind = SensorKind.Ecg) => $"hb/{patient}/{Name}/{SensorKinds.TopicName(kind)}";
}

internal static class TestKeys
{
    private static readonly Lazy<IdentityKey> SharedPatient = new(IdentityKey.Generate);

    /// <summary>One patient key for tests that do not touch a ledger (ECDSA keygen is cheap, but this keeps logs stable).</summary>
    public static IdentityKey Patient => SharedPatient.Value;
}
