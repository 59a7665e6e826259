from ._impl import train
