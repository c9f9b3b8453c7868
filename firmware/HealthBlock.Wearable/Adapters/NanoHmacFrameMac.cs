// Device adapter: .NET nanoFramework on ESP32 (compiled in CI by HealthBlock.Wearable.NanoCheck; see firmware/README.md).
using System;
using System.Security.Cryptography;
using HealthBlock.Protocol.Frames;

namespace HealthBlock.Wearable.Device.Adapters
{
    /// <summary>
    /// HMAC-SHA256 from nanoFramework.System.Security.Cryptography (HMACSHA256(byte[] key), ComputeHash(byte[]),
    /// computed natively by mbedTLS). Its API takes whole arrays, so the signed part is copied first.
    /// </summary>
    internal sealed class NanoHmacFrameMac : IFrameMac
    {
        private readonly HMACSHA256 _hmac;

        public NanoHmacFrameMac(byte[] key)
        {
            _hmac = new HMACSHA256(key);
        }

        public void ComputeTag(byte[] data, int offset, int count, byte[] tag, int tagOffset, int tagLength)
        {
            byte[] message = new byte[count];
            Array.Copy(data, offset, message, 0, count);
            byte[] full = _hmac.ComputeHash(message);
            Array.Copy(full, 0, tag, tagOffset, tagLength);
        }
    }
}
