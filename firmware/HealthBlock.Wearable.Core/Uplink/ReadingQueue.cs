// Firmware core: nanoFramework core library only (see firmware/README.md, "The core's C# subset").
using System;

namespace HealthBlock.Wearable.Uplink
{
    /// <summary>
    /// The bounded offline queue between the sampler and the uplink. When it is full the oldest reading is dropped
    /// and counted; the count travels in the <c>dropped</c> field of the next frame sent. Thread-safe.
    /// </summary>
    public sealed class ReadingQueue
    {
        private readonly Reading[] _items;
        private readonly object _lock = new object();
        private int _head;
        private int _count;
        private int _droppedSinceSent;
        private long _totalDropped;
        private long _totalEnqueued;

        /// <summary>Creates a queue holding at most <paramref name="capacity"/> readings.</summary>
        public ReadingQueue(int capacity)
        {
            if (capacity < 1)
            {
                throw new ArgumentOutOfRangeException("capacity");
            }

            _items = new Reading[capacity];
        }

        /// <summary>Most readings held.</summary>
        public int Capacity
        {
            get { return _items.Length; }
        }

        /// <summary>Readings waiting.</summary>
        public int Count
        {
            get
            {
                lock (_lock)
                {
                    return _count;
                }
            }
        }

        /// <summary>Readings dropped since the last <see cref="TakeDropped"/> (what the next frame will report).</summary>
        public int DroppedSinceSent
        {
            get
            {
                lock (_lock)
                {
                    return _droppedSinceSent;
                }
            }
        }

        /// <summary>Readings dropped since start.</summary>
        public long TotalDropped
        {
            get
            {
                lock (_lock)
                {
                    return _totalDropped;
                }
            }
        }

        /// <summary>Readings enqueued since start.</summary>
        public long TotalEnqueued
        {
            get
            {
                lock (_lock)
                {
                    return _totalEnqueued;
                }
            }
        }

        /// <summary>Adds a reading, dropping the oldest one if the queue is full.</summary>
        public void Enqueue(Reading reading)
        {
            if (reading == null)
            {
                throw new ArgumentNullException("reading");
            }

            lock (_lock)
            {
                if (_count == _items.Length)
                {
                    _items[_head] = null;
                    _head = (_head + 1) % _items.Length;
                    _count--;
                    _totalDropped++;
                    if (_droppedSinceSent < int.MaxValue)
                    {
                        _droppedSinceSent++;
                    }
                }

                _items[(_head + _count) % _items.Length] = reading;
                _count++;
                _totalEnqueued++;
            }
        }

        /// <summary>The oldest reading, or <c>null</c> when empty.</summary>
        public Reading Peek()
        {
            lock (_lock)
            {
                return _count == 0 ? null : _items[_head];
            }
        }

        /// <summary>Removes and returns the oldest reading, or <c>null</c> when empty.</summary>
        public Reading Dequeue()
        {
            lock (_lock)
            {
                if (_count == 0)
                {
                    return null;
                }

                Reading reading = _items[_head];
                _items[_head] = null;
                _head = (_head + 1) % _items.Length;
                _count--;
                return reading;
            }
        }

        /// <summary>Returns the readings dropped since the last call and resets that count (the uplink puts it in a frame).</summary>
        public int TakeDropped()
        {
            lock (_lock)
            {
                int dropped = _droppedSinceSent;
                _droppedSinceSent = 0;
                return dropped;
            }
        }

        /// <summary>Gives back a count taken by <see cref="TakeDropped"/> whose frame could not be built.</summary>
        public void ReturnDropped(int dropped)
        {
            lock (_lock)
            {
                long total = (long)_droppedSinceSent + dropped;
                _droppedSinceSent = total > int.MaxValue ? int.MaxValue : (int)total;
            }
        }
    }
}
