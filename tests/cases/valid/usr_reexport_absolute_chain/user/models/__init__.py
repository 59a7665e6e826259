from .fit import train as train
