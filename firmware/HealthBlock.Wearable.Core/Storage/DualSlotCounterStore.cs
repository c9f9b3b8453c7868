// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;
using HealthBlock.Wearable.Hardware;

namespace HealthBlock.Wearable.Storage
{
    /// <summary>
    /// A counter in two alternating slots of non-volatile storage, safe against a write torn by a power cut.
    /// </summary>
    /// <remarks>
    /// Each save overwrites the slot that does not hold the newest value, so the newest complete value always
    /// survives in the other slot. A slot is a 12-byte record: the magic <c>HBSQ</c>, the value (u32 little-endian)
    /// and a CRC-32 of those 8 bytes. Loading takes the larger value of the valid records. Values must increase.
    /// </remarks>
    public sealed class DualSlotCounterStore : ICounterStore
    {
        /// <summary>Size of one slot record in bytes.</summary>
        public const int RecordSize = 12;

        private readonly IRecordSlots _slots;
        private bool _scanned;
        private bool _hasValue;
        private uint _value;
        private int _newestSlot = 1;

        /// <summary>Uses slots 0 and 1 of <paramref name="slots"/>.</summary>
        public DualSlotCounterStore(IRecordSlots slots)
        {
            if (slots == null)
            {
                throw new ArgumentNullException("slots");
            }

            _slots = slots;
        }

        /// <summary>Reads both slots and returns the newest valid value.</summary>
        public bool TryLoad(out uint value)
        {
            Scan();
            value = _value;
            return _hasValue;
        }

        /// <summary>Writes <paramref name="value"/> into the slot that does not hold the newest value.</summary>
        /// <exception cref="ArgumentOutOfRangeException">The value does not exceed the stored one.</exception>
        public void Save(uint value)
        {
            Scan();
            if (_hasValue && value <= _value)
            {
                throw new ArgumentOutOfRangeException("value");
            }

            int target = 1 - _newestSlot;
            _slots.Write(target, Encode(value));
            _newestSlot = target;
            _value = value;
            _hasValue = true;
        }

        /// <summary>Encodes a slot record.</summary>
        public static byte[] Encode(uint value)
        {
            byte[] bytes = new byte[RecordSize];
            bytes[0] = (byte)'H';
            bytes[1] = (byte)'B';
            bytes[2] = (byte)'S';
            bytes[3] = (byte)'Q';
            PutUInt32(bytes, 4, value);
            PutUInt32(bytes, 8, Crc32.Compute(bytes, 0, 8));
            return bytes;
        }

        /// <summary>Decodes a slot record; returns <c>false</c> for anything but an intact record.</summary>
        public static bool TryDecode(byte[] bytes, out uint value)
        {
            value = 0;
            if (bytes == null || bytes.Length != RecordSize
                || bytes[0] != (byte)'H' || bytes[1] != (byte)'B' || bytes[2] != (byte)'S' || bytes[3] != (byte)'Q'
                || GetUInt32(bytes, 8) != Crc32.Compute(bytes, 0, 8))
            {
                return false;
            }

            value = GetUInt32(bytes, 4);
            return true;
        }

        private void Scan()
        {
            if (_scanned)
            {
                return;
            }

            for (int slot = 0; slot < 2; slot++)
            {
                uint v;
                if (TryDecode(_slots.Read(slot), out v) && (!_hasValue || v > _value))
                {
                    _hasValue = true;
                    _value = v;
                    _newestSlot = slot;
                }
            }

            _scanned = true;
        }

        private static void PutUInt32(byte[] buffer, int offset, uint value)
        {
            buffer[offset] = (byte)value;
            buffer[offset + 1] = (byte)(value >> 8);
            buffer[offset + 2] = (byte)(value >> 16);
            buffer[offset + 3] = (byte)(value >> 24);
        }

        private static uint GetUInt32(byte[] buffer, int offset)
        {
            return (uint)(buffer[offset] | (buffer[offset + 1] << 8) | (buffer[offset + 2] << 16) | (buffer[offset + 3] << 24));
        }
    }
}
