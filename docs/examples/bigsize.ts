/**
 * BOLT 1 BigSize: encode a number, then read it back.
 * 253 is the smallest value that needs the 3-byte form: the marker 0xfd and two big-endian bytes.
 */
import { encodeBigSize, readBigSize } from '@asyncpay/codec/bigsize';
import { Reader, toHex } from '@asyncpay/codec/bytes';

const bytes = encodeBigSize(253);
console.log(toHex(bytes)); // fd00fd

const value = readBigSize(new Reader(bytes));
console.log(value); // 253n
