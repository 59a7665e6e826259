from pandas import *  # noqa: F403
