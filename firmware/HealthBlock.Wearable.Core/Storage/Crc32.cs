// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
namespace HealthBlock.Wearable.Storage
{
    /// <summary>CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320): "123456789" gives 0xCBF43926.</summary>
    public static class Crc32
    {
        /// <summary>The CRC-32 of <paramref name="count"/> bytes of <paramref name="data"/>.</summary>
        public static uint Compute(byte[] data, int offset, int count)
        {
            uint crc = 0xFFFFFFFF;
            for (int i = 0; i < count; i++)
            {
                crc ^= data[offset + i];
                for (int bit = 0; bit < 8; bit++)
                {
                    crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
                }
            }

            return ~crc;
        }
    }
}
