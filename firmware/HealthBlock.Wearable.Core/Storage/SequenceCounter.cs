// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;

namespace HealthBlock.Wearable.Storage
{
    /// <summary>
    /// Frame sequence numbers that are never reused, even across power cuts, with one flash write per block.
    /// </summary>
    /// <remarks>
    /// The store holds "the next block start" S: every number below S may already have been used. Before the first
    /// number of a block is handed out, S + block size is saved; only after that save returns are numbers of the
    /// block used. After a crash the device loads S and starts there, so it jumps over the unused rest of the block
    /// instead of repeating a number. Numbers run out at 2^32 − 1 (at 4 frames a second, after 34 years).
    /// </remarks>
    public sealed class SequenceCounter
    {
        private readonly ICounterStore _store;
        private readonly uint _blockSize;
        private readonly object _lock = new object();
        private bool _loaded;
        private uint _next;
        private uint _limit;

        /// <summary>Creates a counter that reserves <paramref name="blockSize"/> numbers per save.</summary>
        public SequenceCounter(ICounterStore store, int blockSize)
        {
            if (store == null)
            {
                throw new ArgumentNullException("store");
            }

            if (blockSize < 1)
            {
                throw new ArgumentOutOfRangeException("blockSize");
            }

            _store = store;
            _blockSize = (uint)blockSize;
        }

        /// <summary>The number the next call to <see cref="Next"/> returns (loads the store on first use).</summary>
        public uint Peek()
        {
            lock (_lock)
            {
                Load();
                return _next;
            }
        }

        /// <summary>Returns the next number, saving a new block start first when the current block is used up.</summary>
        /// <exception cref="InvalidOperationException">The 32-bit space is exhausted.</exception>
        public uint Next()
        {
            lock (_lock)
            {
                Load();
                if (_next == _limit)
                {
                    if (_limit > uint.MaxValue - _blockSize)
                    {
                        throw new InvalidOperationException("sequence numbers exhausted");
                    }

                    uint newLimit = _limit + _blockSize;
                    _store.Save(newLimit);
                    _limit = newLimit;
                }

                uint value = _next;
                _next++;
                return value;
            }
        }

        private void Load()
        {
            if (_loaded)
            {
                return;
            }

            uint start;
            if (!_store.TryLoad(out start))
            {
                start = 0;
            }

            _next = start;
            _limit = start;
            _loaded = true;
        }
    }
}
